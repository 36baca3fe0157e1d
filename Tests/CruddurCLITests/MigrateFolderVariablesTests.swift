import CruddurTestSupport
import Foundation
import Testing

/// `${VAR}` in a `migrate:` folder is rendered with the step's variables, as in a `sql:` path:
/// the plan shows the folder it resolved, the run applies that folder's migrations, and an
/// unset or malformed variable is the error it is in a `sql:` path.
@Suite(.postgresCluster) struct MigrateFolderVariablesTests {
  static func project(_ tasks: String, database: String = "unused") throws -> TemporaryProject {
    try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local: { default: true, url: "postgresql://postgres:\(TestCluster.password)@127.0.0.1:\(TestCluster.required.port)/\(database)" }
      include: [tasks/*.yml]
      """,
      "tasks/db.yml": tasks,
      "db/app/migrations/20261201000000_t.sql":
        "-- migrate:up\ncreate table t (id int);\n-- migrate:down\ndrop table t;\n",
      "db/seed.sql": "select 1;\n",
    ])
  }

  static let setTask = """
    tasks:
      db:create: { database: create }
      db:migrate:set:
        description: Apply the migrations of one schema set
        migrate: ../db/${SCHEMA_SET}/migrations
    """

  var port: OutputSubstitution { .number(Int(TestCluster.required.port)!, as: "<port>") }

  @Test(
    "the plan shows the resolved folder, and the run applies its migrations beside its structure dump"
  )
  func resolved() async throws {
    let database = TestCluster.uniqueDatabaseName("mfv")
    let project = try Self.project(Self.setTask, database: database)
    defer { project.remove() }
    try await project.expect(
      ["plan", "db:migrate:set", "--set", "SCHEMA_SET=app"],
      stdout: """
        Plan for db:migrate:set on local (postgresql://postgres:****@127.0.0.1:<port>/\(database))
        1. db:migrate:set (migrate)
           apply pending migrations of db/app/migrations (1 file)
           target: postgres@127.0.0.1:<port>/\(database)
           20261201000000_t.sql  sha256 4ceba739a82f  1 statement
           which are pending is read from the target at run time
           then writes db/app/structure.sql (pg_dump --schema-only)

        """, normalizing: [port])
    _ = try await project.run(["db:create"])
    try await project.expect(
      ["db:migrate:set", "--set", "SCHEMA_SET=app"],
      stdout: """
        cruddur db:migrate:set on local (postgresql://postgres:****@127.0.0.1:<port>/\(database)), 1 step
        == db:migrate:set apply pending migrations of db/app/migrations (1 file)
        applied 20261201000000_t.sql in <duration>
        1 migration applied
        wrote db/app/structure.sql
           done in <duration>
        ✓ 1 step done in <duration>

        """, normalizing: [port, .durations])
    #expect(FileManager.default.fileExists(atPath: project.path + "/db/app/structure.sql"))
    let applied = try await TestCluster.required.value(
      "select version from cruddur.migrations", database: database)
    #expect(applied == "20261201000000")
  }

  @Test("unset: the error of a sql: path, at the variable; validate, which has no values, passes")
  func unset() async throws {
    let project = try Self.project(Self.setTask)
    defer { project.remove() }
    try await project.expect(
      ["plan", "db:migrate:set"],
      stderr: """
        error: variable `SCHEMA_SET` is not set
         --> tasks/db.yml:5:20
          |
        5 |     migrate: ../db/${SCHEMA_SET}/migrations
          |                    ^^^^^^^^^^^^
          = help: set it in the environment, in `vars:`, or with `--set SCHEMA_SET=...`

        """, status: 2)
    try await project.expect(
      ["db:migrate:set", "--dry-run"],
      stderr: """
        error: variable `SCHEMA_SET` is not set
         --> tasks/db.yml:5:20
          |
        5 |     migrate: ../db/${SCHEMA_SET}/migrations
          |                    ^^^^^^^^^^^^
          = help: set it in the environment, in `vars:`, or with `--set SCHEMA_SET=...`

        """, status: 2)
    try await project.expect(
      ["validate"], stdout: "cruddur.yml: 2 tasks, 1 environments, no problems\n")
  }

  @Test(
    "hostile: `${` unterminated is a config error at its place; a variable naming a file, not a folder, is refused"
  )
  func hostile() async throws {
    let unterminated = try Self.project(
      """
      tasks:
        db:migrate:set:
          migrate: ../db/${SCHEMA_SET
      """)
    defer { unterminated.remove() }
    try await unterminated.expect(
      ["validate"],
      stderr: """
        error: unterminated `${SCHEMA_SET`: missing `}`
         --> tasks/db.yml:3:20
          |
        3 |     migrate: ../db/${SCHEMA_SET
          |                    ^^

        """, status: 2)

    let file = try Self.project(
      """
      tasks:
        db:migrate:dir:
          migrate: ../db/${DIR}
      """)
    defer { file.remove() }
    try await file.expect(
      ["plan", "db:migrate:dir", "--set", "DIR=seed.sql"],
      stderr: """
        error: migrations folder `db/seed.sql` is a file, not a folder
         = help: move it away, then `cruddur new migration NAME` creates the folder

        """, status: 2)
    try await file.expect(
      ["plan", "db:migrate:dir", "--set", "DIR=nope"],
      stderr: """
        error: migrations folder `db/nope` does not exist
         = help: create one with `cruddur new migration NAME`

        """, status: 2)
  }
}
