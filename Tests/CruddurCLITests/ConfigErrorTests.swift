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
    let result = try await run(["README": "x"], ["db:setup"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("error: no cruddur.yml in"))
    #expect(result.stderr.contains("cruddur init"))
  }

  @Test("a YAML syntax error names file:line:col")
  func yamlSyntax() async throws {
    let result = try await run(["cruddur.yml": "version: 1\ntasks:\n  a: [b\n  c: d\n"], ["list"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("error: invalid YAML"), "\(result)")
    #expect(result.stderr.contains("--> cruddur.yml:4:"))
  }

  @Test("an unknown task suggests the closest one")
  func unknownTask() async throws {
    let result = try await run(
      ["cruddur.yml": Self.environments + "tasks:\n  db:setup: { database: create }\n"], ["db:setpu"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("error: unknown task `db:setpu`"))
    #expect(result.stderr.contains("did you mean `db:setup`?"))
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
    #expect(result.status == 2)
    #expect(result.stderr.contains("error: set PROD_URL to the RDS endpoint"))
    #expect(result.stderr.contains("--> cruddur.yml:4:10"), "\(result)")
  }

  @Test("a cycle is reported with its whole path")
  func cycle() async throws {
    let result = try await run(
      ["cruddur.yml": Self.environments + "tasks:\n  a: { deps: [b] }\n  b: { deps: [c] }\n  c: { deps: [a] }\n"],
      ["plan", "a"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("dependency cycle: `a` -> `b` -> `c` -> `a`"), "\(result)")
  }

  @Test("plan db:setup lists the four steps in order without connecting")
  func planSetup() async throws {
    let files = [
      "cruddur.yml": Self.environments + "include: [tasks/*.yml]\n",
      "tasks/db.yml": try RepositoryFiles.read("tasks/db.yml"),
      "db/schema.sql": try RepositoryFiles.read("db/schema.sql"),
      "db/seed.sql": try RepositoryFiles.read("db/seed.sql"),
    ]
    // Port 1 has no server: a plan that tried to connect would fail.
    let result = try await run(files, ["plan", "db:setup"])
    #expect(result.status == 0, "\(result)")
    let lines = result.stdout.split(separator: "\n").filter { $0.first?.isNumber == true }
    #expect(lines == ["1. db:drop (database) [destructive]", "2. db:create (database)", "3. db:schema (sql) [destructive]", "4. db:seed (sql)"])
    #expect(result.stdout.contains("postgres:****@127.0.0.1:1/app"))
    #expect(!result.stdout.contains("password"))
  }

  @Test("a bad `--set` and a wrong-typed value are exit 2")
  func wrongTypes() async throws {
    let result = try await run(
      ["cruddur.yml": Self.environments + "tasks:\n  a: { database: create, deps: b }\n"], ["validate"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("`deps` must be a list, found a string"), "\(result)")
    #expect(result.stderr.contains("write it as `[b]`"))
  }
}
