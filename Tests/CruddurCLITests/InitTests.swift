import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  @Suite struct InitTests {
    @Test("init writes a project that validates and whose db:setup runs")
    func initThenSetup() async throws {
      let project = try TemporaryProject(files: [:])
      defer { project.remove() }
      try await project.expect(["init"], stdout: """
        created cruddur.yml
        created tasks/db.yml
        created db/schema.sql
        created db/seed.sql
        created db/migrations/20261201000000_create_notes.sql
        created .gitignore
        next: cruddur db:setup

        """)
      try await project.expect(["validate"], stdout: """
        cruddur.yml: 12 tasks, 2 environments, no problems

        """)

      let database = TestCluster.uniqueDatabaseName("init")
      let setup = try await project.run(
        ["db:setup"], environment: ["CONNECTION_URL": DatabaseTests.cluster.url(database: database)])
      #expect(setup.status == 0, "\(setup)")
      #expect(try await DatabaseTests.cluster.value("select count(*) from public.notes", database: database) == "1")
      // Its first migration.
      try await project.expect(
        ["db:migrate"], environment: ["CONNECTION_URL": DatabaseTests.cluster.url(database: database)], stdout: """
        cruddur db:migrate on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
        == db:migrate apply pending migrations of db/migrations (1 file)
        using the server already answering at 127.0.0.1:<port>, not the embedded one
        applied 20261201000000_create_notes.sql in <duration>
        1 migration applied
        wrote db/structure.sql
           done in <duration>
        ✓ 1 step done in <duration>

        """,
        stderr: """
        NOTICE:  relation "notes" already exists, skipping

        """, normalizing: DatabaseTests.variable(database))

      // db:prepare builds a new database from the migrations and seeds it.
      let fresh = TestCluster.uniqueDatabaseName("initprep")
      let prepare = try await project.run(
        ["db:prepare"], environment: ["CONNECTION_URL": DatabaseTests.cluster.url(database: fresh)])
      #expect(prepare.status == 0, "\(prepare)")
      #expect(try await DatabaseTests.cluster.value("select count(*) from public.notes", database: fresh) == "1")

      // Never overwrites: a second init refuses and changes nothing.
      try await project.expect(["init"], stderr: """
        error: cruddur.yml, tasks/db.yml, db/schema.sql, db/seed.sql, db/migrations/20261201000000_create_notes.sql already exist; init writes nothing
         = help: remove them or run init in an empty folder

        """, status: 2)
    }
  }
}

@Suite struct CommandOutputTests {
  static let files = [
    "cruddur.yml": """
    version: 1
    environments:
      local:
        default: true
        embedded: true
        url: ${CONNECTION_URL:-postgresql://postgres:hunter2secret@localhost:5432/app}
      prod:
        url: ${PROD_CONNECTION_URL:?set PROD_CONNECTION_URL to the RDS endpoint URL}
        protected: true
    include: [tasks/*.yml]
    """,
    "tasks/db.yml": """
    tasks:
      db:create: { description: Create the database, database: create }
      db:drop: { description: Drop the database, database: drop }
      db:setup: { description: Setup, steps: [db:drop, db:create] }
      report: { description: A task without namespace, query: select 1, deps: [db:create] }
    """,
  ]

  @Test("envs masks passwords and explains an unset production URL")
  func envs() async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    try await project.expect(["envs"], stdout: """
      local\tpostgresql://postgres:****@localhost:5432/app\tdefault, embedded
      prod\t(unresolved: set PROD_CONNECTION_URL to the RDS endpoint URL)\tprotected

      """)
  }

  @Test("list groups tasks by namespace; --format json lists every task")
  func list() async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    // Tasks without a namespace come first, in one group.
    try await project.expect(["list"], stdout: """
      tasks:
        report     A task without namespace

      db:
        db:create  Create the database
        db:drop    Drop the database  [destructive]
        db:setup   Setup  [destructive]

      """)
    let json = try await project.run(["list", "--format", "json"])
    let entries = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
    #expect(entries?.compactMap { $0["name"] as? String } == ["db:create", "db:drop", "db:setup", "report"])
  }

  @Test("graph renders text, dot and mermaid")
  func graph() async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    try await project.expect(["graph", "db:setup"], stdout: """
      db:drop (database)
      db:create (database)
      db:setup
        steps: db:drop -> db:create

      """)
    try await project.expect(["graph", "--format", "dot"], stdout: """
      digraph cruddur {
        rankdir=LR;
        node [shape=box];
        "db:create";
        "db:drop";
        "db:setup";
        "db:setup" -> "db:drop" [style=dashed, label="1"];
        "db:setup" -> "db:create" [style=dashed, label="2"];
        "report";
        "report" -> "db:create";
      }

      """)
    try await project.expect(["graph", "--format", "mermaid", "db:setup"], stdout: """
      flowchart LR
        t0["db:drop"]
        t1["db:create"]
        t2["db:setup"]
        t2 -.->|1| t0
        t2 -.->|2| t1

      """)
  }

  @Test("plan -e local works while PROD_CONNECTION_URL is unset; -e prod names the variable")
  func lazyEnvironments() async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    #expect(try await project.run(["plan", "db:setup"]).status == 0)
    let prod = try await project.expect(["plan", "db:setup", "-e", "prod"], stderr: """
      error: set PROD_CONNECTION_URL to the RDS endpoint URL
       --> cruddur.yml:8:10
        |
      8 |     url: ${PROD_CONNECTION_URL:?set PROD_CONNECTION_URL to the RDS endpoint URL}
        |          ^^^^^^^^^^^^^^^^^^^^^ `PROD_CONNECTION_URL` is not set

      """, status: 2)
    let viaEnv = try await project.run(["plan", "db:setup"], environment: ["CRUDDUR_ENV": "prod"])
    viaEnv.expect(stdout: prod.stdout, stderr: prod.stderr, status: 2)
  }

  @Test("--version and help show a real example")
  func helpAndVersion() async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    #expect(try await project.run(["--version"]).stdout == "0.1.0\n")
    for command in ["plan", "list", "validate", "graph", "envs", "local", "init"] {
      let help = try await project.run(["help", command])
      #expect(help.stdout.contains("cruddur \(command)"), "help \(command): \(help)")
    }
  }
}

@Suite struct InitGitIgnoreTests {
  @Test("init writes a .gitignore with .cruddur/, .env and backups/")
  func fresh() async throws {
    let project = try TemporaryProject(files: [:])
    defer { project.remove() }
    try await project.expect(["init"], stdout: """
      created cruddur.yml
      created tasks/db.yml
      created db/schema.sql
      created db/seed.sql
      created db/migrations/20261201000000_create_notes.sql
      created .gitignore
      next: cruddur db:setup

      """)
    #expect(try String(contentsOfFile: project.path + "/.gitignore", encoding: .utf8) == ".cruddur/\n.env\nbackups/\n")
  }

  @Test("init appends only what an existing .gitignore lacks, and adds nothing twice")
  func existing() async throws {
    let project = try TemporaryProject(files: [".gitignore": "node_modules\n/.cruddur"])
    defer { project.remove() }
    try await project.expect(["init"], stdout: """
      created cruddur.yml
      created tasks/db.yml
      created db/schema.sql
      created db/seed.sql
      created db/migrations/20261201000000_create_notes.sql
      added .env and backups/ to .gitignore
      next: cruddur db:setup

      """)
    #expect(try String(contentsOfFile: project.path + "/.gitignore", encoding: .utf8) == "node_modules\n/.cruddur\n.env\nbackups/\n")
    // Init again (its own files removed first): .gitignore already has them all, nothing is added.
    for name in ["cruddur.yml", "tasks", "db"] { try FileManager.default.removeItem(atPath: project.path + "/" + name) }
    try await project.expect(["init"], stdout: """
      created cruddur.yml
      created tasks/db.yml
      created db/schema.sql
      created db/seed.sql
      created db/migrations/20261201000000_create_notes.sql
      next: cruddur db:setup

      """)
    #expect(try String(contentsOfFile: project.path + "/.gitignore", encoding: .utf8) == "node_modules\n/.cruddur\n.env\nbackups/\n")
  }
}

@Suite struct InitSchemaLineTests {
  @Test("init's YAML files start with the yaml-language-server line naming this cruddur's schema")
  func schemaLine() async throws {
    let project = try TemporaryProject(files: [:])
    defer { project.remove() }
    #expect(try await project.run(["init"]).status == 0)
    for file in ["cruddur.yml", "tasks/db.yml"] {
      let text = try String(contentsOfFile: project.path + "/" + file, encoding: .utf8)
      let first = String(text.prefix { $0 != "\n" })
      #expect(first.hasPrefix("# yaml-language-server: $schema=/"), "\(file): \(first)")
      let schema = String(first.dropFirst("# yaml-language-server: $schema=".count))
      #expect(schema.hasSuffix("/cruddur.schema.json"))
      // The line names a real file, the schema this checkout's tests check.
      let named = try String(contentsOfFile: schema, encoding: .utf8)
      #expect(named == (try RepositoryFiles.read("schema/cruddur.schema.json")))
    }
    #expect(try await project.run(["validate"]).status == 0)
  }
}
