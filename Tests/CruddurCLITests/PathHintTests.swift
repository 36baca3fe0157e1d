import CruddurTestSupport
import Testing

/// Paths written under tasks/ are relative to that file; the errors say so, and name the
/// spelling that would work when the file is at the project root.
@Suite struct PathHintTests {
  @Test("a sql: path written as if from the project root gets the path that works")
  func sqlFromTheRoot() async throws {
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local: { url: "postgresql://postgres:pw@127.0.0.1:1/app" }
      include: [tasks/*.yml]
      """,
      "tasks/db.yml": """
      tasks:
        db:schema: { sql: db/schema.sql }
      """,
      "db/schema.sql": "select 1;\n",
    ])
    defer { project.remove() }
    let result = try await project.run(["validate"])
    #expect(result.status == 2)
    #expect(
      result.stderr == """
        error: SQL file `db/schema.sql` does not exist
         --> tasks/db.yml:2:21
          |
        2 |   db:schema: { sql: db/schema.sql }
          |                     ^^^^^^^^^^^^^
          = help: paths are relative to the file they are written in (here tasks/db/schema.sql); the file at the project root is `../db/schema.sql`

        """, "\(result)")
  }

  @Test("an include in a task file that finds nothing says paths are relative to that file")
  func includeInTaskFile() async throws {
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local: { url: "postgresql://postgres:pw@127.0.0.1:1/app" }
      include: [tasks/main.yml]
      """,
      "tasks/main.yml": "include: [tasks/more.yml]\n",
      "tasks/more.yml": "tasks: {}\n",
    ])
    defer { project.remove() }
    try await project.expect(["validate"], stderr: """
      error: included file `tasks/more.yml` does not exist
       --> tasks/main.yml:1:11
        |
      1 | include: [tasks/more.yml]
        |           ^^^^^^^^^^^^^^
        = help: paths are relative to the file they are written in (tasks/main.yml)

      """, status: 2)
  }
}
