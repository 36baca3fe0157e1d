import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// A file brought in with `\ir` is read whole by planning and kept for the run (with the
  /// file that includes it), so a plain run opens it once too. Counted with strace on the
  /// real binary, as `OpenOnceTests` does.
  @Suite struct OpenOnceIncludeTests {
    static let files = ["db/seed.sql", "db/more/items.sql"]

    static func project() throws -> TemporaryProject {
      try TemporaryProject(files: [
        "cruddur.yml": """
        version: 1
        environments:
          local: { default: true, url: "${TEST_URL}" }
        tasks:
          db:seed: { sql: db/seed.sql }
        """,
        "db/seed.sql":
          "create table items (id int);\n\\ir more/items.sql\ninsert into items values (3);\n",
        "db/more/items.sql": "insert into items values (1);\ninsert into items values (2);\n",
      ])
    }

    /// Runs `cruddur ARGS` under `strace -f -e trace=openat` and counts the opens of each
    /// of `files` that succeeded (any process of the run).
    static func opens(
      _ arguments: [String], in project: TemporaryProject, environment: [String: String]
    ) async throws -> (result: CruddurBinary.Result, counts: [String: Int]) {
      let trace = project.path + "/openat.trace"
      defer { try? FileManager.default.removeItem(atPath: trace) }
      let result = try await CruddurBinary.runProgram(
        "/usr/bin/strace",
        ["-f", "-qq", "-e", "trace=openat", "-o", trace, CruddurBinary.path] + arguments,
        in: project.path, environment: environment)
      let lines = (try String(contentsOfFile: trace, encoding: .utf8)).split(separator: "\n")
      var counts: [String: Int] = [:]
      for file in files {
        let quoted = "/\(file)\""
        counts[file] = lines.filter { $0.contains(quoted) && !$0.contains(" = -1 ") }.count
      }
      return (result, counts)
    }

    @Test("a plain run opens a file and the file it includes once each; a dry run reads both")
    func includeOpenedOnce() async throws {
      let database = TestCluster.uniqueDatabaseName("openinc")
      _ = try await DatabaseTests.cluster.value("create database \(database)")
      let project = try Self.project()
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)

      // Hostile twin: the count sees both files at all (a dry run reads each to show its
      // digest), so "once" below is not a path that never matched.
      let dryRun = try await Self.opens(["db:seed", "--dry-run"], in: project, environment: env)
      #expect(dryRun.result.status == 0, "\(dryRun.result)")
      for file in Self.files {
        #expect(dryRun.counts[file, default: 0] >= 1, "\(file): \(dryRun.counts)")
      }

      let run = try await Self.opens(["db:seed"], in: project, environment: env)
      #expect(run.result.status == 0, "\(run.result)")
      #expect(run.counts == ["db/seed.sql": 1, "db/more/items.sql": 1], "\(run.result)")
      #expect(
        try await DatabaseTests.cluster.value(
          "select string_agg(id::text, ',' order by id) from items", database: database) == "1,2,3")
    }
  }
}
