import CruddurTestSupport
import Foundation
import Testing

/// `${VAR}` in a `sql:` path is rendered with the step's variables, as documented; in a
/// `query:` it is sent as written, and `validate` says so.
@Suite struct VariablesInPathsTests {
  static func project() throws -> TemporaryProject {
    try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local: { default: true, url: "postgresql://postgres:pw@127.0.0.1:1/app" }
      include: [tasks/*.yml]
      """,
      "tasks/db.yml": """
      tasks:
        db:seed:named:
          description: Load a named seed
          sql: ../db/${SEED_NAME}.sql
      """,
      "db/seed.sql": "insert into t values (1);\n",
    ])
  }

  @Test("the plan shows the resolved path and its digest; the variable is one --set may name")
  func resolved() async throws {
    let project = try Self.project()
    defer { project.remove() }
    try await project.expect(
      ["plan", "db:seed:named", "--set", "SEED_NAME=seed"],
      stdout: """
        Plan for db:seed:named on local (postgresql://postgres:****@127.0.0.1:1/app)
        1. db:seed:named (sql)
           run db/seed.sql in one transaction
           target: postgres@127.0.0.1:1/app
           file: db/seed.sql (26 bytes, 1 statement)
           sha256: <digest>

        """, normalizing: [.pattern("sha256: [0-9a-f]{64}", as: "sha256: <digest>")])
  }

  @Test("unset, or naming a file that is not there: the error points at the variable or the path")
  func unresolved() async throws {
    let project = try Self.project()
    defer { project.remove() }
    try await project.expect(
      ["plan", "db:seed:named"],
      stderr: """
        error: variable `SEED_NAME` is not set
         --> tasks/db.yml:4:16
          |
        4 |     sql: ../db/${SEED_NAME}.sql
          |                ^^^^^^^^^^^
          = help: set it in the environment, in `vars:`, or with `--set SEED_NAME=...`

        """, status: 2)
    let missing = try await project.run(["db:seed:named", "--set", "SEED_NAME=nope", "--dry-run"])
    #expect(missing.status == 2, "\(missing)")
    #expect(missing.stderr.hasPrefix("error: SQL file `../db/nope.sql` does not exist\n"), "\(missing)")
  }

  @Test("`${NAME}` in a query is a validation warning pointing to params; validate still passes")
  func queryWarning() async throws {
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local: { default: true, url: "postgresql://postgres:pw@127.0.0.1:1/app" }
      tasks:
        users:find: { query: "select * from users where handle = ${HANDLE}" }
        users:get: { params: [handle], query: "select * from users where handle = $1" }
      """
    ])
    defer { project.remove() }
    try await project.expect(
      ["validate"],
      stdout: "cruddur.yml: 2 tasks, 1 environments, no errors, 1 warning\n",
      stderr: """
        warning: `${HANDLE}` in a query is sent to the server as written: queries are not interpolated
         --> cruddur.yml:5:24
          |
        5 |   users:find: { query: "select * from users where handle = ${HANDLE}" }
          |                        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
          = help: declare `params: [HANDLE]` and write `$1`: a value is bound, never spliced into SQL

        """)
  }
}
