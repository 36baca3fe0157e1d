import CruddurCore
import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// The structure dump is written only as a regular file: a link or a FIFO at its path is
  /// refused before any migration runs, and left as it was.
  @Suite struct StructureDumpOutputTests {
    @Test(
      "a symbolic link or FIFO at db/structure.sql stops the migrate before it applies anything", arguments: ["link", "fifo"])
    func refusedBeforeMigrating(_ kind: String) async throws {
      let (project, database, env) = try await MigrateTests.project(
        ["20261201120000_create_notes.sql": MigrateTests.first], dump: true)
      defer { project.remove() }
      try project.write("elsewhere.sql", "keep\n")
      if kind == "link" {
        try project.directory.makeSymlink("db/structure.sql", to: project.path + "/elsewhere.sql")
      } else {
        try project.directory.makeFIFO("db/structure.sql")
      }
      let result = try await project.run(["db:migrate"], environment: env)
      #expect(result.status == 2, "\(result)")
      let reason = kind == "link" ? "it is a symbolic link, which cruddur does not follow" : "it is a FIFO"
      #expect(
        result.stderr.contains("error: refusing to write `db/structure.sql`: \(reason); it is left as it was\n"), "\(result)")
      #expect(try await !MigrateTests.tableExists("public.notes", database))
      #expect(
        OutputFileTests.entry(project.path + "/db/structure.sql")
          == (kind == "link" ? "link to \(project.path)/elsewhere.sql" : "a FIFO"))
      #expect(try String(contentsOfFile: project.path + "/elsewhere.sql", encoding: .utf8) == "keep\n")
    }
  }
}
