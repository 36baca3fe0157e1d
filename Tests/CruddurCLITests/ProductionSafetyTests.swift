import CruddurCore
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
      let steps = [
        "wipe": "wipe: query: delete from public.notes on postgres@127.0.0.1:<port>/<db>",
        "drop-notes": "drop-notes: query: drop table public.notes on postgres@127.0.0.1:<port>/<db>",
        "rename": "rename: run sql/rename.sql in one transaction on postgres@127.0.0.1:<port>/<db>",
        "drop": "drop: drop database \"<db>\" if it exists, ending its sessions on postgres@127.0.0.1:<port>/postgres",
        "erase": "erase: eraser: erase everything",
      ]
      for (task, step) in steps.sorted(by: { $0.key < $1.key }) {
        // Nothing started: no step header, only the refusal.
        try await project.expect(
          [task, "-e", "prod"], environment: env,
          stderr: """
            error: refused: prod is protected: step 1 needs consent (--yes or type 'prod'); nothing was run
             = 1. \(step)
             = help: pass --yes, or run it on a terminal and type 'prod'

            """, status: 3, normalizing: DatabaseTests.variable(database))
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
      try await project.expect(["plan", "load", "-e", "prod"], environment: env, stdout: """
        Plan for load on prod (postgresql://postgres:****@127.0.0.1:<port>/<db>)
        1. load (sql)
           run sql/load.sql in one transaction
           target: postgres@127.0.0.1:<port>/<db>
           file: sql/load.sql (<size> bytes, 2 statements)
           sha256: <sha256>
           includes: sql/part.sql
           lock_timeout 2s; retried up to 3 times on a lock timeout or a deadlock

        """, normalizing: DatabaseTests.variable(database) + [.fileDigests])
      let seedProject = try DatabaseTests.dbProject(database: database)
      defer { seedProject.remove() }
      try await seedProject.expect(["plan", "db:seed"], environment: env, stdout: """
        Plan for db:seed on local (postgresql://postgres:****@127.0.0.1:<port>/<db>)
        1. db:seed (sql)
           run db/seed.sql in one transaction
           target: postgres@127.0.0.1:<port>/<db>
           file: db/seed.sql (<size> bytes, 2 statements)
           sha256: <sha256>

        """, normalizing: DatabaseTests.variable(database) + [.fileDigests])
    }

    @Test("the plan says before step 1 which steps need consent, and names each destructive statement")
    func planNamesConsent() async throws {
      let project = try Self.project(database: "unused")
      defer { project.remove() }
      let database = "unused"
      try await project.expect(
        ["plan", "rename", "-e", "prod"], environment: DatabaseTests.environment(database: database), stdout: """
        Plan for rename on prod (postgresql://postgres:****@127.0.0.1:<port>/<db>)
        prod is protected: step 1 needs consent (--yes or type 'prod')
        1. rename (sql) [destructive] [needs consent]
           run sql/rename.sql in one transaction
           target: postgres@127.0.0.1:<port>/<db>
           file: sql/rename.sql (46 bytes, 1 statement)
           sha256: 528aaa33b3effb7d988cc8f4ddd415715b82902682c87ff6b79b67e9c9c00730
           lock_timeout 2s; retried up to 3 times on a lock timeout or a deadlock
           locks: alter table public.notes rename to notes_old (sql/rename.sql:1)
             public.notes ACCESS EXCLUSIVE (blocks reads and writes)
           destructive: ALTER TABLE public.notes RENAME (sql/rename.sql:1)

        """,
        normalizing: DatabaseTests.variable(database))
    }

    @Test("a database cruddur created under one environment refuses destructive steps from another")
    func stampRefusal() async throws {
      let database = TestCluster.uniqueDatabaseName("stamp")
      let project = try Self.project(database: database)
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      #expect(try await project.run(["make"], environment: env).status == 0)
      try await project.expect(["drop", "-e", "other"], environment: env, stdout: "", stderr: """
        error: database "<db>" belongs to environment `local`; refusing to run destructive steps on it as `other`
         = help: check the URL of `other` (postgresql://postgres:****@127.0.0.1:<port>/<db>); run with `-e local` if that was meant

        """, status: 3, normalizing: DatabaseTests.variable(database))
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
      ExactOutput.expect(file, equals: """
        {
          "config_files" : [
            {
              "path" : "cruddur.yml",
              "sha256" : "774c21fe5e9f22a173b6bfa9d4f841fe620a58daeb8a88c7e3400946f8cdbd8a"
            },
            {
              "path" : "tasks/t.yml",
              "sha256" : "e2638ecd44775179bfe74e814f141ee0919ba4306ff6a35450cd333e4f3885a6"
            }
          ],
          "created_at" : "<time>",
          "digest" : "<digest>",
          "environment" : "prod",
          "format" : "cruddur-plan",
          "invocations" : [
            {
              "arguments" : [

              ],
              "task" : "wipe"
            }
          ],
          "plan" : {
            "consent_notice" : "prod is protected: step 1 needs consent (--yes or type 'prod')",
            "consent_steps" : [
              1
            ],
            "environment" : "prod",
            "steps" : [
              {
                "after" : [

                ],
                "description" : {
                  "destructive_statements" : [
                    {
                      "kind" : "DELETE without WHERE on public.notes",
                      "text" : "delete from public.notes",
                      "verdict" : "destructive"
                    }
                  ],
                  "details" : [
                    "  delete from public.notes",
                    "destructive: DELETE without WHERE on public.notes"
                  ],
                  "files" : [

                  ],
                  "is_destructive" : true,
                  "summary" : "query: delete from public.notes",
                  "target" : {
                    "database" : "<db>",
                    "host" : "127.0.0.1",
                    "port" : "<port>",
                    "user" : "postgres"
                  }
                },
                "executor" : "query",
                "number" : 1,
                "task" : "wipe"
              }
            ],
            "target" : "postgresql://postgres:****@127.0.0.1:<port>/<db>",
            "tasks" : [
              "wipe"
            ],
            "version" : 1
          },
          "prepared" : [
            {
              "executor" : "query",
              "planner_details" : [

              ],
              "step" : 1,
              "value" : {
                "parameters" : [

                ],
                "sql" : "delete from public.notes",
                "statement" : {
                  "kind" : "DELETE without WHERE on public.notes",
                  "text" : "delete from public.notes",
                  "verdict" : "destructive"
                },
                "target" : {
                  "database" : "<db>",
                  "host" : "127.0.0.1",
                  "port" : "<port>",
                  "user" : "postgres"
                }
              }
            }
          ],
          "version" : 2
        }

        """, normalizing: DatabaseTests.variable(database) + DatabaseTests.savedPlan)
      #expect(try await project.run(["apply", "wipe.json"], environment: env).status == 3, "consent still needed")
      #expect(try await Self.count(database) == "2")
      let applied = try await project.run(["apply", "wipe.json", "--yes"], environment: env)
      #expect(applied.status == 0, "\(applied)")
      #expect(try await Self.count(database) == "0")
      try await project.expect(["apply", "wipe.json", "--yes"], environment: env, stderr: """
        error: refused: `wipe.json` (sha256 <plan digest>…) was already applied to prod; nothing was run
         = help: pass --again to apply this destructive plan once more

        """, status: 3, normalizing: DatabaseTests.variable(database) + [.pattern(#"sha256 [0-9a-f]{12}…"#, as: "sha256 <plan digest>…")])
      #expect(try await project.run(["apply", "wipe.json", "--yes", "--again"], environment: env).status == 0)

      // Drift of each kind: an included SQL file, a config file, the target.
      #expect(try await project.run(["plan", "load", "--out", "load.json"], environment: env).status == 0)
      try project.write("sql/part.sql", "insert into public.notes (body) values ('changed');\n")
      try await project.expect(["apply", "load.json"], environment: env, stderr: """
        error: refused: `load.json` no longer matches the project (1 change); nothing was run
         = file sql/part.sql changed (sha256 8cbe2bc68928… → 36e5785d1cfb…)
         = help: plan again, review it, and apply the new plan

        """, status: 3, normalizing: DatabaseTests.variable(database))
      #expect(try await project.run(["plan", "load", "--out", "load.json"], environment: env).status == 0)
      try project.write("tasks/t.yml", Self.tasks + "\n  extra: { query: select 1 }\n")
      try await project.expect(["apply", "load.json"], environment: env, stderr: """
        error: refused: `load.json` no longer matches the project (1 change); nothing was run
         = config file tasks/t.yml changed (sha256 e2638ecd4477… → 4d94271f1634…)
         = help: plan again, review it, and apply the new plan

        """, status: 3, normalizing: DatabaseTests.variable(database))
      #expect(try await project.run(["plan", "load", "--out", "load.json"], environment: env).status == 0)
      try await project.expect(
        ["apply", "load.json"], environment: DatabaseTests.environment(database: database + "_elsewhere"), stderr: """
        error: refused: `load.json` no longer matches the project (2 changes); nothing was run
         = target: postgresql://postgres:****@127.0.0.1:<port>/<db> → postgresql://postgres:****@127.0.0.1:<port>/<db>_elsewhere
         = step 1 (load) changed: run sql/load.sql in one transaction → run sql/load.sql in one transaction
         = help: plan again, review it, and apply the new plan

        """,
        status: 3, normalizing: DatabaseTests.variable(database))
      #expect(try await Self.count(database) == "0", "no drifted plan ran")

      // Hostile twins: a plan file that is a FIFO, one that is not a plan, one edited by hand.
      try project.directory.makeFIFO("fifo.json")
      try await project.expect(["apply", "fifo.json"], environment: env, stderr: """
        error: `fifo.json` is a FIFO, not a file

        """, status: 2, normalizing: DatabaseTests.variable(database))
      try project.write("junk.json", "{ not json")
      try await project.expect(["apply", "junk.json"], environment: env, stderr: """
        error: `junk.json` is not a saved cruddur plan: it is not a JSON object
         = help: a saved plan is JSON with format `cruddur-plan`, made by `cruddur plan TASK --out junk.json`

        """, status: 2, normalizing: DatabaseTests.variable(database))
      let planText = try String(contentsOfFile: project.path + "/load.json", encoding: .utf8)
      try project.write("edited.json", planText.replacingOccurrences(of: "\"load\"", with: "\"wipe\""))
      try await project.expect(["apply", "edited.json", "--yes"], environment: env, stderr: """
        error: `edited.json` was edited after it was saved (its digest does not match)

        """, status: 3, normalizing: DatabaseTests.variable(database))
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
      try await project.expect(
        ["drop"], environment: env, stdout: "", stderr: """
        error: another cruddur run (pid <first> on host <host>, since <time>) holds the lock on local/<db>
         = help: wait for it to finish, or pass --wait to wait for it

        """, status: 3,
        normalizing: DatabaseTests.variable(database) + DatabaseTests.lockHolder(first.pid))
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
      try await project.expect(
        ["echo"], environment: ["TEST_URL": shapes[0], "API_TOKEN": "tok-9f8e7d6c5b"], stdout: """
        cruddur echo on local (postgresql://postgres:****@127.0.0.1:1/app), 1 step
        == echo sh: echo "token is $API_TOKEN"
        token is ****
           done in <duration>
        ✓ 1 step done in <duration>

        """,
        normalizing: [.durations])
    }
  }
}
