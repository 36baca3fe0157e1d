import CruddurTestSupport
import Foundation
import Testing

/// `cruddur new migration NAME`: a timestamped file in the migrate tasks' folder.
@Suite struct NewMigrationTests {
  static let files = [
    "cruddur.yml": """
    version: 1
    environments:
      local: { default: true, url: "postgresql://postgres:pw@127.0.0.1:1/app" }
    tasks:
      db:migrate: { migrate: schema/changes }
    """,
    "schema/changes/20261201120000_add_email_index.sql": "-- migrate:up\nselect 1;\n",
  ]

  @Test("writes VERSION_name.sql with both blocks in the folder the migrate task reads; it validates")
  func writesFile() async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    let result = try await project.run(["new", "migration", "Add users bio"])
    #expect(result.status == 0, "\(result)")
    let name = try #require(result.stdout.split(separator: " ").last?.trimmingCharacters(in: .newlines))
    #expect(name.hasPrefix("schema/changes/2") && name.hasSuffix("_add_users_bio.sql"), "\(result)")
    let text = try String(contentsOfFile: project.path + "/" + name, encoding: .utf8)
    #expect(text == "-- migrate:up\n\n\n-- migrate:down\n\n")
    #expect(result.stderr.isEmpty, "\(result)")
    #expect(try await project.run(["validate"]).status == 0)
    let files = try FileManager.default.contentsOfDirectory(atPath: project.path + "/schema/changes")
    #expect(files.count == 2)
  }

  @Test("the same name again is refused (exit 2); a close one is written with a did-you-mean note")
  func existingNames() async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    try await project.expect(["new", "migration", "add_email_index"], stderr: """
      error: a migration named `add_email_index` exists already: schema/changes/20261201120000_add_email_index.sql
       = help: choose another name, or edit that migration if it was never applied

      """, status: 2)
    // The new file's name starts with the time it was made.
    try await project.expect(
      ["new", "migration", "add_emial_index"], stdout: """
      created schema/changes/<version>_add_emial_index.sql

      """, stderr: """
      note: a migration with a similar name exists: 20261201120000_add_email_index.sql; did you mean to edit it?

      """,
      normalizing: [.pattern(#"schema/changes/\d{14}_"#, as: "schema/changes/<version>_")])
  }
}
