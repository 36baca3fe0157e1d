import CruddurCore
import CruddurShell
import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// What stands between a typo and production: protection that reads every statement,
  /// databases that know their environment, saved plans that refuse drift and apply once,
  /// one destructive run at a time, no password anywhere.
  @Suite struct ProductionSafetyTests {
    static let tasks = """
      tasks:
        wipe: { query: delete from public.notes }
        fix: { query: "update public.notes set body = 'fixed' where id = 1" }
        drop-notes: { query: drop table public.notes }
        rename: { sql: ../sql/rename.sql }
        load: { sql: ../sql/load.sql }
        make: { database: create }
        drop: { database: drop }
        slow: { sql: ../sql/slow.sql }
        erase: { uses: eraser }
      """

    /// `prod` (protected) and `local` both on `database`; `other` on the same database too.
    static func project(database: String) throws -> TemporaryProject {
      let project = try TemporaryProject(files: [
        "cruddur.yml": """
        version: 1
        plugins: { eraser: plugins/eraser }
        environments:
          local: { default: true, url: "${TEST_URL}" }
          prod: { protected: true, url: "${TEST_URL}" }
          other: { url: "${TEST_URL}" }
        include: [tasks/*.yml]
        """,
        "tasks/t.yml": tasks,
        "sql/rename.sql": "alter table public.notes rename to notes_old;\n",
        "sql/load.sql": "\\ir part.sql\ninsert into public.notes (body) values ('loaded');\n",
        "sql/part.sql": "insert into public.notes (body) values ('part');\n",
        "sql/slow.sql": "insert into public.notes (body) values ('slow');\nselect pg_sleep(60) as hold_the_lock;\n",
        "plugins/eraser": """
        #!/bin/sh
        read request
        case "$request" in
          *'"describe"'*) echo '{"summary": "erase everything", "destructive": true}' ;;
          *) echo '{"ok": true}' ;;
        esac
        """,
      ])
      chmod(project.path + "/plugins/eraser", 0o755)
      return project
    }

    static func prepare(_ database: String) async throws {
      let cluster = DatabaseTests.cluster
      _ = try await cluster.value("create database \(database)")
      _ = try await cluster.value("create table public.notes (id serial primary key, body text)", database: database)
      _ = try await cluster.value("insert into public.notes (body) values ('a'), ('b')", database: database)
    }

    static func count(_ database: String) async throws -> String? {
      try await DatabaseTests.cluster.value("select count(*) from public.notes", database: database)
    }

    @Test("without consent, every destructive step kind is refused before anything runs (exit 3)")
    func refusedForEveryKind() async throws {
      let database = TestCluster.uniqueDatabaseName("safe")
      try await Self.prepare(database)
      let project = try Self.project(database: database)
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      for task in ["wipe", "drop-notes", "rename", "drop", "erase"] {
        let refused = try await project.run([task, "-e", "prod"], environment: env)
        #expect(refused.status == 3, "\(task): \(refused)")
        #expect(
          refused.stderr.contains("refused: prod is protected: step 1 needs consent (--yes or type 'prod'); nothing was run"),
          "\(task): \(refused)")
        #expect(!refused.stdout.contains("=="), "no step started: \(refused)")
      }
      #expect(try await Self.count(database) == "2")
      #expect(try await DatabaseTests.cluster.value("select to_regclass('public.notes') is not null", database: database) == "t")
      // With --yes it runs.
      #expect(try await project.run(["wipe", "-e", "prod", "--yes"], environment: env).status == 0)
      #expect(try await Self.count(database) == "0")
    }

    @Test("an UPDATE with WHERE, the project's own seed file and an INSERT file are not destructive")
    func noFalsePositives() async throws {
      let database = TestCluster.uniqueDatabaseName("fp")
      try await Self.prepare(database)
      let project = try Self.project(database: database)
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      let fixed = try await project.run(["fix", "-e", "prod"], environment: env)
      #expect(fixed.status == 0, "\(fixed)")
      #expect(try await DatabaseTests.cluster.value("select body from public.notes where id = 1", database: database) == "fixed")
      let plan = try await project.run(["plan", "load", "-e", "prod"], environment: env)
      #expect(!plan.stdout.contains("destructive"), "\(plan)")
      #expect(plan.stdout.contains("includes: sql/part.sql"), "\(plan)")
      let seedProject = try DatabaseTests.dbProject(database: database)
      defer { seedProject.remove() }
      let seedPlan = try await seedProject.run(["plan", "db:seed"], environment: env)
      #expect(seedPlan.status == 0)
      #expect(!seedPlan.stdout.contains("destructive"), "\(seedPlan)")
    }

    @Test("the plan says before step 1 which steps need consent, and names each destructive statement")
    func planNamesConsent() async throws {
      let project = try Self.project(database: "unused")
      defer { project.remove() }
      let plan = try await project.run(["plan", "rename", "-e", "prod"], environment: DatabaseTests.environment(database: "unused"))
      #expect(plan.stdout.contains("prod is protected: step 1 needs consent (--yes or type 'prod')\n1. rename (sql) [destructive] [needs consent]"), "\(plan)")
      #expect(plan.stdout.contains("destructive: alter table public.notes rename to notes_old (sql/rename.sql:1)"), "\(plan)")
    }

    @Test("a database cruddur created under one environment refuses destructive steps from another")
    func stampRefusal() async throws {
      let database = TestCluster.uniqueDatabaseName("stamp")
      let project = try Self.project(database: database)
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      #expect(try await project.run(["make"], environment: env).status == 0)
      let refused = try await project.run(["drop", "-e", "other"], environment: env)
      #expect(refused.status == 3, "\(refused)")
      #expect(
        refused.stderr.contains(
          "database \"\(database)\" belongs to environment `local`; refusing to run destructive steps on it as `other`"),
        "\(refused)")
      #expect(try await DatabaseTests.cluster.databaseExists(database))
      #expect(try await project.run(["drop"], environment: env).status == 0)
      #expect(try await !DatabaseTests.cluster.databaseExists(database))
    }

    @Test("a saved plan runs once; any drift, or a second apply, is refused with what changed")
    func savedPlans() async throws {
      let database = TestCluster.uniqueDatabaseName("saved")
      try await Self.prepare(database)
      let project = try Self.project(database: database)
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      let saved = try await project.run(["plan", "wipe", "-e", "prod", "--out", "wipe.json"], environment: env)
      #expect(saved.status == 0, "\(saved)")
      let file = try String(contentsOfFile: project.path + "/wipe.json", encoding: .utf8)
      #expect(!file.contains(TestCluster.password))
      #expect(file.contains("\"format\" : \"cruddur-plan\""))
      #expect(try await project.run(["apply", "wipe.json"], environment: env).status == 3, "consent still needed")
      #expect(try await Self.count(database) == "2")
      let applied = try await project.run(["apply", "wipe.json", "--yes"], environment: env)
      #expect(applied.status == 0, "\(applied)")
      #expect(try await Self.count(database) == "0")
      let twice = try await project.run(["apply", "wipe.json", "--yes"], environment: env)
      #expect(twice.status == 3)
      #expect(twice.stderr.contains("was already applied to prod; nothing was run"), "\(twice)")
      #expect(try await project.run(["apply", "wipe.json", "--yes", "--again"], environment: env).status == 0)

      // Drift of each kind: an included SQL file, a config file, the target.
      #expect(try await project.run(["plan", "load", "--out", "load.json"], environment: env).status == 0)
      try project.write("sql/part.sql", "insert into public.notes (body) values ('changed');\n")
      let included = try await project.run(["apply", "load.json"], environment: env)
      #expect(included.status == 3)
      #expect(included.stderr.contains("file sql/part.sql changed"), "\(included)")
      #expect(try await project.run(["plan", "load", "--out", "load.json"], environment: env).status == 0)
      try project.write("tasks/t.yml", Self.tasks + "\n  extra: { query: select 1 }\n")
      let config = try await project.run(["apply", "load.json"], environment: env)
      #expect(config.status == 3)
      #expect(config.stderr.contains("config file tasks/t.yml changed"), "\(config)")
      #expect(try await project.run(["plan", "load", "--out", "load.json"], environment: env).status == 0)
      let moved = try await project.run(
        ["apply", "load.json"], environment: DatabaseTests.environment(database: database + "_elsewhere"))
      #expect(moved.status == 3)
      #expect(moved.stderr.contains("target: "), "\(moved)")
      #expect(try await Self.count(database) == "0", "no drifted plan ran")
      #expect(!(included.stderr + config.stderr + moved.stderr).contains(TestCluster.password))

      // Hostile twins: a plan file that is a FIFO, one that is not a plan, one edited by hand.
      try project.directory.makeFIFO("fifo.json")
      let fifo = try await project.run(["apply", "fifo.json"], environment: env)
      #expect(fifo.status == 2, "\(fifo)")
      #expect(fifo.stderr.contains("`fifo.json` is a FIFO, not a file"), "\(fifo)")
      try project.write("junk.json", "{ not json")
      let junk = try await project.run(["apply", "junk.json"], environment: env)
      #expect(junk.status == 2, "\(junk)")
      #expect(junk.stderr.contains("`junk.json` is not a saved cruddur plan"), "\(junk)")
      let planText = try String(contentsOfFile: project.path + "/load.json", encoding: .utf8)
      try project.write("edited.json", planText.replacingOccurrences(of: "\"load\"", with: "\"wipe\""))
      let edited = try await project.run(["apply", "edited.json", "--yes"], environment: env)
      #expect(edited.status == 3, "\(edited)")
      #expect(edited.stderr.contains("was edited after it was saved"), "\(edited)")
      #expect(try await Self.count(database) == "0", "nothing ran")
    }

    @Test("a second destructive run on the same database fails fast, naming the first one's pid")
    func oneDestructiveRunAtATime() async throws {
      let database = TestCluster.uniqueDatabaseName("lock")
      try await Self.prepare(database)
      let project = try Self.project(database: database)
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      try project.write("tasks/hold.yml", "tasks:\n  hold: { sql: ../sql/slow.sql, destructive: true }\n")
      let first = try RunningCruddur.start(["hold"], in: project.path, environment: env)
      let holding =
        "select count(*) from pg_stat_activity where query like '%hold_the_lock%' and pid <> pg_backend_pid() and datname = '\(database)'"
      #expect(try await eventually { try await DatabaseTests.cluster.value(holding) == "1" }, "\(first.output)")
      let second = try await project.run(["drop"], environment: env)
      #expect(second.status == 3, "\(second)")
      #expect(second.stderr.contains("another cruddur run (pid \(first.pid) on host "), "\(second)")
      #expect(second.stderr.contains("holds the lock on local/\(database)"))
      #expect(try await DatabaseTests.cluster.databaseExists(database))
      kill(first.pid, SIGINT)
      #expect(await first.wait() == 130)
      // Released with the first run: the drop now goes through.
      #expect(try await project.run(["drop"], environment: env).status == 0)
    }

    @Test("the password never appears in any output or saved file, whatever the URL's shape")
    func noPasswordAnywhere() async throws {
      let project = try Self.project(database: "unused")
      defer { project.remove() }
      let password = TestCluster.password
      let shapes = [
        "postgresql://postgres:\(password)@127.0.0.1:1/app",
        "postgresql//postgres:\(password)@127.0.0.1:1/app",
        "postgresql://postgres:\(password)%ZZ@127.0.0.1:1/app",
        "postgresql://postgres:\(password)@x@127.0.0.1:1/app",
        "postgresql://postgres:\(password):x@127.0.0.1:1/app",
        "postgresql://postgres:\(password)/x@127.0.0.1:1/app",
        "postgresql://postgres:\(password) x@127.0.0.1:1/app",
        "host=127.0.0.1 port=1 user=postgres password=\(password) dbname=app",
      ]
      for url in shapes {
        for arguments in [["envs"], ["plan", "wipe"], ["wipe"], ["plan", "wipe", "--out", "p.json"], ["validate"]] {
          let result = try await project.run(arguments, environment: ["TEST_URL": url])
          #expect(!result.stdout.contains(password) && !result.stderr.contains(password), "\(url) \(arguments): \(result)")
          #expect(!result.stderr.contains("Fatal error"))
        }
        if let saved = try? String(contentsOfFile: project.path + "/p.json", encoding: .utf8) {
          #expect(!saved.contains(password), "\(url)")
        }
      }
      // A shell step printing a secret variable: masked too.
      try project.write("tasks/echo.yml", "tasks:\n  echo: { shell: 'echo \"token is $API_TOKEN\"' }\n")
      let echoed = try await project.run(
        ["echo"], environment: ["TEST_URL": shapes[0], "API_TOKEN": "tok-9f8e7d6c5b"])
      #expect(echoed.status == 0, "\(echoed)")
      #expect(echoed.stdout.contains("token is ****"), "\(echoed)")
    }
  }
}
