import CruddurTestSupport
import Testing

@Suite struct ConfigErrorTests {
  static let environments = """
    version: 1
    environments:
      local:
        default: true
        url: postgresql://postgres:password@127.0.0.1:1/app

    """

  func run(_ files: [String: String], _ arguments: [String], environment: [String: String] = [:])
    async throws -> CruddurBinary.Result
  {
    let project = try TemporaryProject(files: files)
    defer { project.remove() }
    return try await project.run(arguments, environment: environment)
  }

  @Test("no cruddur.yml here or above is exit 2 with a hint")
  func missingConfig() async throws {
    let project = try TemporaryProject(files: ["README": "x"])
    defer { project.remove() }
    try await project.expect(["db:setup"], stderr: """
      error: no cruddur.yml in $PROJECT or any folder above it
       = help: run `cruddur init` to create one, or pass `-f FILE`

      """, status: 2, normalizing: [.literal(project.path, as: "$PROJECT")])
  }

  @Test("a YAML syntax error names file:line:col")
  func yamlSyntax() async throws {
    let project = try TemporaryProject(files: ["cruddur.yml": "version: 1\ntasks:\n  a: [b\n  c: d\n"])
    defer { project.remove() }
    try await project.expect(["list"], stderr: """
      error: invalid YAML: did not find expected ',' or ']'
       --> cruddur.yml:4:4
        |
      4 |   c: d
        |    ^
        = note: while parsing a flow sequence at cruddur.yml:3:6

      """, status: 2)
  }

  @Test("an unknown task suggests the closest one")
  func unknownTask() async throws {
    let project = try TemporaryProject(files: ["cruddur.yml": Self.environments + "tasks:\n  db:setup: { database: create }\n"])
    defer { project.remove() }
    try await project.expect(["db:setpu"], stderr: """
      error: unknown task `db:setpu`
       = help: did you mean `db:setup`?

      """, status: 2)
  }

  @Test("an unknown key is shown with its line, a caret and a suggestion")
  func unknownKey() async throws {
    let result = try await run(
      ["cruddur.yml": Self.environments + "tasks:\n  db:create: { descripton: Make it, database: create }\n"],
      ["validate"])
    #expect(result.status == 2)
    #expect(
      result.stderr == """
        error: unknown key `descripton` in task `db:create`
         --> cruddur.yml:7:16
          |
        7 |   db:create: { descripton: Make it, database: create }
          |                ^^^^^^^^^^ did you mean `description`?

        """, "\(result)")
  }

  @Test("a missing variable names it and where it was written")
  func missingVariable() async throws {
    let result = try await run(
      [
        "cruddur.yml": """
        version: 1
        environments:
          prod:
            url: ${PROD_URL:?set PROD_URL to the RDS endpoint}
        tasks:
          db:create: { database: create }
        """
      ], ["plan", "db:create", "-e", "prod"])
    result.expect(stderr: """
      error: set PROD_URL to the RDS endpoint
       --> cruddur.yml:4:10
        |
      4 |     url: ${PROD_URL:?set PROD_URL to the RDS endpoint}
        |          ^^^^^^^^^^ `PROD_URL` is not set

      """, status: 2)
  }

  @Test("a cycle is reported with its whole path")
  func cycle() async throws {
    let result = try await run(
      ["cruddur.yml": Self.environments + "tasks:\n  a: { deps: [b] }\n  b: { deps: [c] }\n  c: { deps: [a] }\n"],
      ["plan", "a"])
    result.expect(stderr: """
      error: dependency cycle: `a` -> `b` -> `c` -> `a`
       --> cruddur.yml:9:15
        |
      9 |   c: { deps: [a] }
        |               ^
        = note: `a` needs `b` at cruddur.yml:7:15
        = note: `b` needs `c` at cruddur.yml:8:15
        = note: `c` needs `a` at cruddur.yml:9:15

      """, status: 2)
  }

  @Test("plan db:setup lists the four steps in order without connecting")
  func planSetup() async throws {
    let files = [
      "cruddur.yml": Self.environments + "include: [tasks/*.yml]\n",
      "tasks/db.yml": try RepositoryFiles.read("tasks/db.yml"),
      "db/schema.sql": try RepositoryFiles.read("db/schema.sql"),
      "db/seed.sql": try RepositoryFiles.read("db/seed.sql"),
    ]
    // Port 1 has no server: a plan that tried to connect would fail. The repository's SQL
    // files' sizes and digests change whenever they are edited; their statements do not.
    let result = try await run(files, ["plan", "db:setup"])
    result.expect(stdout: """
      Plan for db:setup on local (postgresql://postgres:****@127.0.0.1:1/app)
      1. db:drop (database) [destructive]
         drop database "app" if it exists, ending its sessions
         target: postgres@127.0.0.1:1/postgres
      2. db:create (database)
         create database "app" if it does not exist
         target: postgres@127.0.0.1:1/postgres
         after: #1
      3. db:schema (sql)
         run db/schema.sql in one transaction
         target: postgres@127.0.0.1:1/app
         file: db/schema.sql (<size> bytes, 5 statements)
         sha256: <sha256>
         after: #2
      4. db:seed (sql)
         run db/seed.sql in one transaction
         target: postgres@127.0.0.1:1/app
         file: db/seed.sql (<size> bytes, 2 statements)
         sha256: <sha256>
         after: #3

      """, normalizing: [.fileDigests])
  }

  @Test("a bad `--set` and a wrong-typed value are exit 2")
  func wrongTypes() async throws {
    let result = try await run(
      ["cruddur.yml": Self.environments + "tasks:\n  a: { database: create, deps: b }\n"], ["validate"])
    result.expect(stderr: """
      error: `deps` must be a list, found a string
       --> cruddur.yml:7:32
        |
      7 |   a: { database: create, deps: b }
        |                                ^
        = help: write it as `[b]`

      """, status: 2)
  }
}
