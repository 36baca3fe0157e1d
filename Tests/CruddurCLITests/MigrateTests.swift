import CruddurCore
import CruddurPostgres
import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// `migrate:` against the real server: each migration applied once, in order, in its own
  /// transaction with its record; refusals before anything runs; plans that read the target
  /// read-only; saved plans refused when the target moved.
  @Suite struct MigrateTests {
    static let tasks = """
      tasks:
        db:migrate: { migrate: ../db/migrations }
        db:rollback: { migrate: ../db/migrations, mode: rollback }
        db:migrate:status: { migrate: ../db/migrations, mode: status }
      """

    static let first = """
      -- migrate:up
      create table public.notes (id serial primary key, body text not null);
      -- migrate:down
      drop table public.notes;
      """
    static let second = """
      -- migrate:up
      alter table public.notes add column author text;
      -- migrate:down
      alter table public.notes drop column author;
      """
    static let third = """
      -- migrate:up
      insert into public.notes (body, author) values ('hello', 'ann');
      -- migrate:down
      delete from public.notes where body = 'hello';
      """

    /// `local` and `prod` (protected) on a database made for the test, with no dump unless asked.
    static func project(_ migrations: [String: String], dump: Bool = false) async throws -> (
      TemporaryProject, String, [String: String]
    ) {
      let database = TestCluster.uniqueDatabaseName("mig")
      _ = try await DatabaseTests.cluster.value("create database \(database)")
      var files = [
        "cruddur.yml": """
        version: 1
        environments:
          local: { default: true, url: "${TEST_URL}" }
          prod: { protected: true, url: "${TEST_URL}" }
        include: [tasks/*.yml]
        """,
        "tasks/db.yml": dump ? tasks : tasks.replacingOccurrences(of: "migrate: ../db/migrations }", with: "migrate: ../db/migrations, dump: false }"),
        "db/migrations/.keep": "",
      ]
      for (name, text) in migrations { files["db/migrations/" + name] = text }
      return (try TemporaryProject(files: files), database, DatabaseTests.environment(database: database))
    }

    static func applied(_ database: String) async throws -> [String] {
      try await DatabaseTests.cluster.query("select version from cruddur.migrations order by version", database: database)
        .compactMap { $0[0] }
    }

    static func tableExists(_ name: String, _ database: String) async throws -> Bool {
      try await DatabaseTests.cluster.value("select to_regclass('\(name)') is not null", database: database) == "t"
    }

    @Test("apply 3, a rerun applies 0, a 4th file applies 1; each recorded with digest, user@host and duration")
    func applyRerunAddOne() async throws {
      let (project, database, env) = try await Self.project([
        "20261201120000_create_notes.sql": Self.first, "20261201130000_add_author.sql": Self.second,
        "20261201140000_hello.sql": Self.third,
      ])
      defer { project.remove() }
      try await project.expect(["db:migrate"], environment: env, stdout: """
        cruddur db:migrate on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
        == db:migrate apply pending migrations of db/migrations (3 files)
        applied 20261201120000_create_notes.sql in <duration>
        applied 20261201130000_add_author.sql in <duration>
        applied 20261201140000_hello.sql in <duration>
        3 migrations applied
           done in <duration>
        ✓ 1 step done in <duration>

        """, normalizing: DatabaseTests.variable(database))
      #expect(try await Self.applied(database) == ["20261201120000", "20261201130000", "20261201140000"])
      let record = try await DatabaseTests.cluster.query(
        "select name, sha256, applied_by, duration_ms >= 0 from cruddur.migrations where version = '20261201120000'",
        database: database)
      #expect(record.first?[0] == "create_notes")
      #expect(record.first?[1]?.count == 64)
      #expect(record.first?[2] == "\(NSUserName())@\(ProcessInfo.processInfo.hostName)")
      #expect(record.first?[3] == "t")

      try await project.expect(["db:migrate"], environment: env, stdout: """
        cruddur db:migrate on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
        == db:migrate apply pending migrations of db/migrations (3 files)
        nothing to migrate: 3 applied, none pending
           done in <duration>
        ✓ 1 step done in <duration>

        """, normalizing: DatabaseTests.variable(database))
      #expect(try await DatabaseTests.cluster.value("select count(*) from public.notes", database: database) == "1")

      try project.write("db/migrations/20261201150000_add_tag.sql", "-- migrate:up\nalter table public.notes add column tag text;\n")
      try await project.expect(["db:migrate"], environment: env, stdout: """
        cruddur db:migrate on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
        == db:migrate apply pending migrations of db/migrations (4 files)
        applied 20261201150000_add_tag.sql in <duration>
        1 migration applied
           done in <duration>
        ✓ 1 step done in <duration>

        """, normalizing: DatabaseTests.variable(database))
      #expect(try await Self.applied(database).count == 4)

      let status = try await project.run(["db:migrate:status", "--format", "csv"], environment: env)
      #expect(status.status == 0, "\(status)")
      let lines = status.stdout.split(whereSeparator: \.isNewline).map { $0.split(separator: ",").map(String.init) }
      #expect(lines.first == ["version", "name", "applied_at", "state"])
      #expect(lines.dropFirst().map { $0.last } == ["applied", "applied", "applied", "applied"])
    }

    @Test("a failing 2nd of 3 new: the 1st stays recorded, the 2nd rolled back, the 3rd never started; exit 1")
    func failureKeepsEarlierOnes() async throws {
      let (project, database, env) = try await Self.project([
        "20261201120000_create_notes.sql": Self.first,
        "20261201130000_broken.sql": "-- migrate:up\ncreate table public.half (id int);\nalter table public.nope add column x int;\n",
        "20261201140000_hello.sql": "-- migrate:up\ncreate table public.later (id int);\n",
      ])
      defer { project.remove() }
      // The error is at the file's own line.
      try await project.expect(["db:migrate"], environment: env, stdout: """
        cruddur db:migrate on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
        == db:migrate apply pending migrations of db/migrations (3 files)
        applied 20261201120000_create_notes.sql in <duration>
        ✗ run failed after <duration>: 0 done; failed: db:migrate

        """, stderr: """
        == db:migrate failed after <duration>
        error: relation "public.nope" does not exist  [SQLSTATE 42P01]
         --> db/migrations/20261201130000_broken.sql:3:1
          |
        3 | alter table public.nope add column x int;
          | ^
          = 20261201130000_broken.sql failed; its transaction was rolled back
          = applied before it, and kept: 20261201120000_create_notes.sql
          = not started: 20261201140000_hello.sql

        """, status: 1, normalizing: DatabaseTests.variable(database))
      #expect(try await Self.applied(database) == ["20261201120000"])
      #expect(try await Self.tableExists("public.notes", database))
      #expect(try await !Self.tableExists("public.half", database), "the 2nd's own transaction rolled back")
      #expect(try await !Self.tableExists("public.later", database))
    }

    @Test("an applied file edited since is refused before anything runs (exit 3, file and both digests)")
    func editedAppliedFileRefused() async throws {
      let (project, database, env) = try await Self.project(["20261201120000_create_notes.sql": Self.first])
      defer { project.remove() }
      #expect(try await project.run(["db:migrate"], environment: env).status == 0)
      let before = try #require(try await DatabaseTests.cluster.value("select sha256 from cruddur.migrations", database: database))
      try project.write("db/migrations/20261201120000_create_notes.sql", Self.first.replacingOccurrences(of: "body text", with: "body varchar"))
      try project.write("db/migrations/20261201130000_add_author.sql", Self.second)
      try await project.expect(
        ["db:migrate"], environment: env, stdout: """
        cruddur db:migrate on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
        == db:migrate apply pending migrations of db/migrations (2 files)
        ✗ run failed after <duration>: 0 done; failed: db:migrate

        """, stderr: """
        == db:migrate failed after <duration>
        error: refused: db/migrations/20261201120000_create_notes.sql changed since it was applied; nothing was run
         = sha256 when applied: <applied sha256>
         = sha256 now:          5816c7a7acab1b97d7e7840f36b8543072a9090116d876492708bd696fb31a78
         = help: put the applied migration back as it was, and make the change in a new migration (`cruddur new migration NAME`)

        """, status: 3,
        normalizing: DatabaseTests.variable(database) + [.literal(before, as: "<applied sha256>")])
      #expect(try await Self.applied(database) == ["20261201120000"], "the pending one did not run")
      try await project.expect(
        ["db:migrate:status"], environment: env, stdout: """
        cruddur db:migrate:status on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
        == db:migrate:status show the state of each migration in db/migrations (read from the target at run time)
            version     |     name     |     applied_at      |         state        \u{20}
        ----------------+--------------+---------------------+-----------------------
         20261201120000 | create_notes | <timestamp> | changed since applied
         20261201130000 | add_author   | ∅                   | pending
        (2 rows)
           done in <duration>
        ✓ 1 step done in <duration>

        """,
        normalizing: DatabaseTests.variable(database) + [.timestamps])
    }

    @Test("a pending migration older than the newest applied is refused, and applied with ALLOW_OUT_OF_ORDER=1")
    func outOfOrder() async throws {
      let (project, database, env) = try await Self.project([
        "20261201120000_create_notes.sql": Self.first, "20261201140000_hello.sql": "-- migrate:up\nselect 1;\n",
      ])
      defer { project.remove() }
      #expect(try await project.run(["db:migrate"], environment: env).status == 0)
      try project.write("db/migrations/20261201130000_add_author.sql", Self.second)
      try await project.expect(["db:migrate"], environment: env, stdout: """
        cruddur db:migrate on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
        == db:migrate apply pending migrations of db/migrations (3 files)
        ✗ run failed after <duration>: 0 done; failed: db:migrate

        """, stderr: """
        == db:migrate failed after <duration>
        error: refused: 1 pending migration is older than the newest applied one (20261201140000_hello); nothing was run
         = db/migrations/20261201130000_add_author.sql
         = help: if applying it now is right, pass --set ALLOW_OUT_OF_ORDER=1

        """, status: 3, normalizing: DatabaseTests.variable(database))
      #expect(try await Self.applied(database).count == 2)
      let allowed = try await project.run(["db:migrate", "--set", "ALLOW_OUT_OF_ORDER=1"], environment: env)
      #expect(allowed.status == 0, "\(allowed)")
      #expect(try await Self.applied(database) == ["20261201120000", "20261201130000", "20261201140000"])
    }

    @Test("rollback undoes the last one, STEP=2 the last two; a missing down block is refused")
    func rollback() async throws {
      let (project, database, env) = try await Self.project([
        "20261201120000_create_notes.sql": Self.first, "20261201130000_add_author.sql": Self.second,
        "20261201140000_hello.sql": Self.third,
      ])
      defer { project.remove() }
      #expect(try await project.run(["db:migrate"], environment: env).status == 0)
      try await project.expect(["db:rollback"], environment: env, stdout: """
        cruddur db:rollback on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
        == db:rollback roll back the last applied migration of db/migrations
        rolled back 20261201140000_hello.sql
        wrote db/structure.sql
           done in <duration>
        ✓ 1 step done in <duration>

        """, normalizing: DatabaseTests.variable(database))
      #expect(try await Self.applied(database) == ["20261201120000", "20261201130000"])
      #expect(try await DatabaseTests.cluster.value("select count(*) from public.notes", database: database) == "0")
      let two = try await project.run(["db:rollback", "--set", "STEP=2"], environment: env)
      #expect(two.status == 0, "\(two)")
      #expect(try await Self.applied(database) == [])
      #expect(try await !Self.tableExists("public.notes", database))

      try project.write("db/migrations/20261201130000_add_author.sql", "-- migrate:up\nalter table public.notes add column author text;\n")
      try FileManager.default.removeItem(atPath: project.path + "/db/migrations/20261201140000_hello.sql")
      #expect(try await project.run(["db:migrate"], environment: env).status == 0)
      try await project.expect(["db:rollback"], environment: env, stdout: """
        cruddur db:rollback on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
        == db:rollback roll back the last applied migration of db/migrations
        ✗ run failed after <duration>: 0 done; failed: db:rollback

        """, stderr: """
        == db:rollback failed after <duration>
        error: refused: db/migrations/20261201130000_add_author.sql has no `-- migrate:down` block; nothing was run
         = help: write the down block that undoes it, then roll back

        """, status: 3, normalizing: DatabaseTests.variable(database))
      #expect(try await Self.applied(database).count == 2)
    }

    @Test("transaction:false runs CREATE INDEX CONCURRENTLY; in a transactional block it is refused at its line (exit 2)")
    func transactionFalse() async throws {
      let (project, database, env) = try await Self.project([
        "20261201120000_create_notes.sql": Self.first,
        "20261201130000_index.sql": """
        -- migrate:up transaction:false
        create index concurrently notes_body on public.notes (body);
        -- migrate:down transaction:false
        drop index concurrently public.notes_body;
        """,
      ])
      defer { project.remove() }
      let run = try await project.run(["db:migrate"], environment: env)
      #expect(run.status == 0, "\(run)")
      #expect(try await Self.tableExists("public.notes_body", database))
      #expect(try await Self.applied(database).count == 2)
      #expect(try await project.run(["db:rollback"], environment: env).status == 0)
      #expect(try await !Self.tableExists("public.notes_body", database))

      try project.write("db/migrations/20261201140000_bad.sql", "-- migrate:up\n\ncreate index concurrently b on public.notes (id);\n")
      try await project.expect(["db:migrate"], environment: env, stderr: """
        error: `CREATE INDEX CONCURRENTLY` cannot run inside a transaction block, and this file runs in one
         --> db/migrations/20261201140000_bad.sql:3:1
          |
        3 | create index concurrently b on public.notes (id);
          | ^^^^^^^^^^^^^^^^^^^^^^^^^
          = help: add `transaction: false` to the task to run the file statement by statement, like `psql -f`

        """, status: 2, normalizing: DatabaseTests.variable(database))
    }

    @Test("an unparsable file (exit 2 at its line) and two files with one version (exit 2 naming both)")
    func badFiles() async throws {
      let (project, database, env) = try await Self.project([
        "20261201120000_a.sql": "create table x (id int);\n",
        "20261201130000_b.sql": "-- migrate:up\nselect 1;\n",
        "20261201130000_c.sql": "-- migrate:up\nselect 2;\n",
        "20261201140000_d.sql": "-- migrate:up\nselect 'unterminated;\n",
      ])
      defer { project.remove() }
      try await project.expect(["db:migrate"], environment: env, stderr: """
        error: no `-- migrate:up` line: a migration needs one before its statements
         --> db/migrations/20261201120000_a.sql:1:1
          |
        1 | create table x (id int);
          | ^
        error: two migrations have version 20261201130000: db/migrations/20261201130000_b.sql and db/migrations/20261201130000_c.sql
         = help: give one of them a new version (rename it with a newer timestamp)

        """, status: 2, normalizing: DatabaseTests.variable(database))
      #expect(try await !Self.tableExists("cruddur.migrations", database), "nothing ran")
      try project.write("db/migrations/20261201120000_a.sql", "-- migrate:up\ncreate table x (id int);\n")
      try FileManager.default.removeItem(atPath: project.path + "/db/migrations/20261201130000_c.sql")
      try await project.expect(["db:migrate"], environment: env, stderr: """
        error: unterminated quoted string
         --> db/migrations/20261201140000_d.sql:2:8
          |
        2 | select 'unterminated;
          |        ^

        """, status: 2, normalizing: DatabaseTests.variable(database))
      #expect(try await !Self.tableExists("cruddur.migrations", database), "nothing ran")
    }

    @Test("two db:migrate at once: one applies, the other fails fast naming the holder or waits; each applied once")
    func concurrentMigrates() async throws {
      let (project, database, env) = try await Self.project([
        "20261201120000_create_notes.sql": Self.first,
        "20261201130000_gate.sql": "-- migrate:up\nselect pg_advisory_xact_lock(4242) as hold_the_lock;\n",
      ])
      defer { project.remove() }
      let cluster = DatabaseTests.cluster
      // The test holds a gate the second migration waits on, so the first run holds the
      // run lock for as long as the test needs.
      let gate = try await Connection.connect(try ConnInfo(parsing: ConnectionURL(cluster.url(database: database))))
      _ = try await gate.execute("select pg_advisory_lock(4242)", parameters: [])
      let first = try RunningCruddur.start(["db:migrate"], in: project.path, environment: env)
      #expect(
        try await eventually {
          try await cluster.value(
            "select count(*) from pg_stat_activity where query like '%as hold_the_lock%' and wait_event_type = 'Lock' and datname = '\(database)'"
          ) == "1"
        }, "\(first.output)")
      try await project.expect(
        ["db:migrate"], environment: env, stdout: """
        cruddur db:migrate on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
        == db:migrate apply pending migrations of db/migrations (2 files)
        ✗ run failed after <duration>: 0 done; failed: db:migrate

        """, stderr: """
        == db:migrate failed after <duration>
        error: another cruddur run (pid <first> on host <host>, since <time>) holds the lock on local/<db>
         = help: wait for it to finish, or pass --wait to wait for it

        """, status: 3,
        normalizing: DatabaseTests.variable(database) + DatabaseTests.lockHolder(first.pid))
      // With nothing pending a migrate takes no lock: a project that has only the applied
      // first migration finishes while the lock is held.
      let behind = try TemporaryProject(files: [
        "cruddur.yml": "version: 1\nenvironments:\n  local: { default: true, url: \"${TEST_URL}\" }\n"
          + "tasks:\n  db:migrate: { migrate: db/migrations, dump: false }\n",
        "db/migrations/20261201120000_create_notes.sql": Self.first,
      ])
      defer { behind.remove() }
      try await behind.expect(["db:migrate"], environment: env, stdout: """
        cruddur db:migrate on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
        == db:migrate apply pending migrations of db/migrations (1 file)
        nothing to migrate: 1 applied, none pending
           done in <duration>
        ✓ 1 step done in <duration>

        """, normalizing: DatabaseTests.variable(database))
      let waiting = try RunningCruddur.start(["db:migrate", "--wait"], in: project.path, environment: env)
      #expect(try await eventually { waiting.output.contains("waiting for another cruddur run") }, "\(waiting.output)")
      _ = try await gate.execute("select pg_advisory_unlock(4242)", parameters: [])
      await gate.close()
      #expect(await first.wait() == 0, "\(first.output)")
      #expect(await waiting.wait() == 0, "\(waiting.output)")
      ExactOutput.expect(
        waiting.output, equals: """
        cruddur db:migrate on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
        == db:migrate apply pending migrations of db/migrations (2 files)
        waiting for another cruddur run (pid <first> on host <host>, since <time>) to release local/<db>
        nothing to migrate: 2 applied, none pending
           done in <duration>
        ✓ 1 step done in <duration>

        """, normalizing: DatabaseTests.variable(database) + DatabaseTests.lockHolder(first.pid))
      let counts = try await cluster.query(
        "select version, count(*) from cruddur.migrations group by version order by version", database: database)
      #expect(counts.map { $0[1] } == ["1", "1"], "\(counts)")
    }

    @Test("Ctrl-C during a migration cancels it on the server: exit 130, the ones before it kept, it not recorded")
    func interrupted() async throws {
      let (project, database, env) = try await Self.project([
        "20261201120000_create_notes.sql": Self.first,
        "20261201130000_gate.sql": "-- migrate:up\ncreate table public.half (id int);\nselect pg_advisory_xact_lock(4343) as wait_at_the_gate;\n",
      ])
      defer { project.remove() }
      let cluster = DatabaseTests.cluster
      let gate = try await Connection.connect(try ConnInfo(parsing: ConnectionURL(cluster.url(database: database))))
      _ = try await gate.execute("select pg_advisory_lock(4343)", parameters: [])
      let run = try RunningCruddur.start(["db:migrate"], in: project.path, environment: env)
      #expect(
        try await eventually {
          try await cluster.value(
            "select count(*) from pg_stat_activity where query like '%as wait_at_the_gate%' and wait_event_type = 'Lock' and datname = '\(database)'"
          ) == "1"
        }, "\(run.output)")
      kill(run.pid, SIGINT)
      #expect(await run.wait() == 130, "\(run.output)")
      await gate.close()
      #expect(try await Self.applied(database) == ["20261201120000"])
      #expect(try await !Self.tableExists("public.half", database), "its transaction rolled back")
    }

    @Test("a real dbmate schema_migrations table is adopted: its versions are applied, never run again")
    func adoptsDBMate() async throws {
      let (project, database, env) = try await Self.project([
        "20261201120000_create_notes.sql": Self.first, "20261201130000_add_author.sql": Self.second,
      ])
      defer { project.remove() }
      let cluster = DatabaseTests.cluster
      // What dbmate 2 creates and writes.
      _ = try await cluster.value(
        "create table if not exists public.schema_migrations (version character varying(128) not null primary key)",
        database: database)
      _ = try await cluster.value("create table public.notes (id serial primary key, body text not null)", database: database)
      _ = try await cluster.value("insert into public.schema_migrations (version) values ('20261201120000')", database: database)
      try await project.expect(["db:migrate:status", "--format", "csv"], environment: env, stdout: """
        version,name,applied_at,state\r
        20261201120000,create_notes,(dbmate),applied\r
        20261201130000,add_author,,pending\r

        """, stderr: """
        cruddur db:migrate:status on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
        == db:migrate:status show the state of each migration in db/migrations (read from the target at run time)
           done in <duration>
        ✓ 1 step done in <duration>

        """, normalizing: DatabaseTests.variable(database))
      try await project.expect(["db:migrate"], environment: env, stdout: """
        cruddur db:migrate on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
        == db:migrate apply pending migrations of db/migrations (2 files)
        applied 20261201130000_add_author.sql in <duration>
        1 migration applied
           done in <duration>
        ✓ 1 step done in <duration>

        """, normalizing: DatabaseTests.variable(database))
      #expect(try await Self.applied(database) == ["20261201120000", "20261201130000"])
      #expect(
        try await cluster.value("select applied_by from cruddur.migrations where version = '20261201120000'", database: database)
          == "dbmate (adopted)")
      #expect(
        try await cluster.value("select count(*) from public.schema_migrations", database: database) == "2",
        "dbmate's table kept in step, so dbmate still works")
    }

    @Test("plan --check reads in a READ ONLY transaction, creates nothing, and lists exactly the pending ones")
    func planCheckIsReadOnly() async throws {
      let (project, database, env) = try await Self.project([
        "20261201120000_create_notes.sql": Self.first, "20261201130000_add_author.sql": Self.second,
      ])
      defer { project.remove() }
      // Offline: a plan never connects.
      try await project.expect(
        ["plan", "db:migrate", "-e", "prod"], environment: ["TEST_URL": "postgresql://u:p@127.0.0.1:1/x"], stdout: """
        Plan for db:migrate on prod (postgresql://u:****@127.0.0.1:1/x)
        1. db:migrate (migrate)
           apply pending migrations of db/migrations (2 files)
           target: u@127.0.0.1:1/x
           20261201120000_create_notes.sql  sha256 ea2393b0743b  1 statement
           20261201130000_add_author.sql  sha256 2db315ec15c0  1 statement
             locks: alter table public.notes add column author text (db/migrations/20261201130000_add_author.sql:2)
               public.notes ACCESS EXCLUSIVE (blocks reads and writes)
           which are pending is read from the target at run time
           lock_timeout 2s; retried up to 3 times on a lock timeout or a deadlock

        """)

      try await project.expect(["plan", "db:migrate", "-e", "prod", "--check"], environment: env, stdout: """
        Plan for db:migrate on prod (postgresql://postgres:****@127.0.0.1:<port>/<db>)
        1. db:migrate (migrate)
           apply 2 pending migrations of db/migrations (read from the target in a read-only transaction)
           target: postgres@127.0.0.1:<port>/<db>
           20261201120000_create_notes.sql  sha256 ea2393b0743b  1 statement
           20261201130000_add_author.sql  sha256 2db315ec15c0  1 statement
             locks: alter table public.notes add column author text (db/migrations/20261201130000_add_author.sql:2)
               public.notes ACCESS EXCLUSIVE (blocks reads and writes)
           lock_timeout 2s; retried up to 3 times on a lock timeout or a deadlock

        """, normalizing: DatabaseTests.variable(database))
      #expect(try await DatabaseTests.cluster.value("select count(*) from pg_namespace where nspname = 'cruddur'", database: database) == "0",
        "the migration table it would create is not created")

      #expect(try await project.run(["db:rollback"], environment: env).status == 3, "nothing applied to roll back")
      try FileManager.default.removeItem(atPath: project.path + "/db/migrations/20261201130000_add_author.sql")
      #expect(try await project.run(["db:migrate"], environment: env).status == 0)
      try project.write("db/migrations/20261201130000_add_author.sql", Self.second)
      try project.write(
        "db/migrations/20261201120000_create_notes.sql", Self.first.replacingOccurrences(of: "not null", with: "null"))
      try await project.expect(["plan", "db:migrate", "-e", "prod", "--check"], environment: env, stdout: """
        Plan for db:migrate on prod (postgresql://postgres:****@127.0.0.1:<port>/<db>)
        1. db:migrate (migrate)
           apply 1 pending migration of db/migrations (read from the target in a read-only transaction)
           target: postgres@127.0.0.1:<port>/<db>
           20261201130000_add_author.sql  sha256 2db315ec15c0  1 statement
             locks: alter table public.notes add column author text (db/migrations/20261201130000_add_author.sql:2)
               public.notes ACCESS EXCLUSIVE (blocks reads and writes); on the target: rows not yet counted, 16 kB
           lock_timeout 2s; retried up to 3 times on a lock timeout or a deadlock
           changed since applied (a run refuses): db/migrations/20261201120000_create_notes.sql  sha256 applied ea2393b0743b, now 2b7709335661

        """, normalizing: DatabaseTests.variable(database))
    }

    @Test("a saved plan records the applied set; apply refuses (exit 3) after another migrate, runs it otherwise")
    func savedPlanRefusedAfterAnotherMigrate() async throws {
      let (project, database, env) = try await Self.project([
        "20261201120000_create_notes.sql": Self.first, "20261201130000_add_author.sql": Self.second,
      ])
      defer { project.remove() }
      #expect(try await project.run(["plan", "db:migrate", "-e", "prod", "--out", "m.json"], environment: env).status == 0)
      // The whole saved plan: the applied set it read (none yet) is its target_state.
      let saved = try String(contentsOfFile: project.path + "/m.json", encoding: .utf8)
      ExactOutput.expect(saved, equals: """
        {
          "config_files" : [
            {
              "path" : "cruddur.yml",
              "sha256" : "acfb3eb0f31bf05d21c00e36243aecd206d30dd6e5d2ea819c6c8ff37ebe123e"
            },
            {
              "path" : "tasks/db.yml",
              "sha256" : "74ae2715eff8a368bea1b409aee258a752e11ee49e265f1c1be517b80c8604da"
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
              "task" : "db:migrate"
            }
          ],
          "plan" : {
            "consent_steps" : [

            ],
            "environment" : "prod",
            "steps" : [
              {
                "after" : [

                ],
                "description" : {
                  "destructive_statements" : [

                  ],
                  "details" : [
                    "20261201120000_create_notes.sql  sha256 ea2393b0743b  1 statement",
                    "20261201130000_add_author.sql  sha256 2db315ec15c0  1 statement",
                    "  locks: alter table public.notes add column author text (db/migrations/20261201130000_add_author.sql:2)",
                    "    public.notes ACCESS EXCLUSIVE (blocks reads and writes)",
                    "lock_timeout 2s; retried up to 3 times on a lock timeout or a deadlock"
                  ],
                  "files" : [
                    {
                      "path" : "db/migrations/20261201120000_create_notes.sql",
                      "sha256" : "03d6ba03a7372a3eb93b245debbe4912655f85cfe33a518bc47e3e09752390c5"
                    },
                    {
                      "path" : "db/migrations/20261201130000_add_author.sql",
                      "sha256" : "fcbe9bdc966e46597ddf974755f691979b3938ea5194380a4753beb141d07149"
                    }
                  ],
                  "is_destructive" : false,
                  "summary" : "apply 2 pending migrations of db/migrations (read from the target in a read-only transaction)",
                  "target" : {
                    "database" : "<db>",
                    "host" : "127.0.0.1",
                    "port" : "<port>",
                    "user" : "postgres"
                  },
                  "target_state" : [

                  ]
                },
                "executor" : "migrate",
                "number" : 1,
                "task" : "db:migrate"
              }
            ],
            "target" : "postgresql://postgres:****@127.0.0.1:<port>/<db>",
            "tasks" : [
              "db:migrate"
            ],
            "version" : 1
          },
          "prepared" : [
            {
              "executor" : "migrate",
              "planner_details" : [

              ],
              "step" : 1,
              "value" : {
                "files" : [
                  {
                    "path" : "db/migrations/20261201120000_create_notes.sql",
                    "sha256" : "03d6ba03a7372a3eb93b245debbe4912655f85cfe33a518bc47e3e09752390c5"
                  },
                  {
                    "path" : "db/migrations/20261201130000_add_author.sql",
                    "sha256" : "fcbe9bdc966e46597ddf974755f691979b3938ea5194380a4753beb141d07149"
                  }
                ],
                "folder" : "db/migrations",
                "heavy_lock_lines" : [

                ],
                "heavy_locks" : [

                ],
                "migrations" : [
                  {
                    "down_needing_consent" : [
                      {
                        "file" : "db/migrations/20261201120000_create_notes.sql",
                        "kind" : "DROP TABLE public.notes",
                        "line" : 4,
                        "text" : "drop table public.notes",
                        "verdict" : "destructive"
                      }
                    ],
                    "file_name" : "20261201120000_create_notes.sql",
                    "has_down_block" : true,
                    "locks" : [

                    ],
                    "outside_transaction" : 0,
                    "sections" : 1,
                    "statements" : 1,
                    "up_digest" : "ea2393b0743b4eb2d7b51bf28216aee041ebdf1bf7cb847a564fc3e31741d511",
                    "up_needing_consent" : [

                    ]
                  },
                  {
                    "down_needing_consent" : [
                      {
                        "file" : "db/migrations/20261201130000_add_author.sql",
                        "kind" : "ALTER TABLE public.notes DROP COLUMN author",
                        "line" : 4,
                        "text" : "alter table public.notes drop column author",
                        "verdict" : "destructive"
                      }
                    ],
                    "file_name" : "20261201130000_add_author.sql",
                    "has_down_block" : true,
                    "locks" : [
                      {
                        "claims" : [
                          {
                            "mode" : 8,
                            "relation" : "public.notes",
                            "rewrites" : "no",
                            "rule" : "add-column",
                            "scans" : false
                          }
                        ],
                        "file" : "db/migrations/20261201130000_add_author.sql",
                        "line" : 2,
                        "text" : "alter table public.notes add column author text"
                      }
                    ],
                    "outside_transaction" : 0,
                    "sections" : 1,
                    "statements" : 1,
                    "up_digest" : "2db315ec15c0114dce0712fdb5951e2f724daaedac3ecaa6a89af2c3076a1758",
                    "up_needing_consent" : [

                    ]
                  }
                ],
                "mode" : "up",
                "protected_environment" : "prod",
                "reading" : {
                  "applied" : [

                  ],
                  "changed" : [

                  ],
                  "drops" : [

                  ],
                  "heavy_lock_lines" : [

                  ],
                  "heavy_locks" : [

                  ],
                  "invalid_indexes" : [

                  ],
                  "older_than_applied" : [

                  ],
                  "pending" : [
                    "20261201120000_create_notes.sql",
                    "20261201130000_add_author.sql"
                  ],
                  "rolled_back" : [

                  ],
                  "sizes" : [

                  ]
                },
                "rebuilds" : [

                ],
                "target" : {
                  "database" : "<db>",
                  "host" : "127.0.0.1",
                  "port" : "<port>",
                  "user" : "postgres"
                },
                "timeouts" : {
                  "lock_timeout" : 2,
                  "retries" : 3
                }
              }
            }
          ],
          "version" : 2
        }

        """, normalizing: DatabaseTests.variable(database) + DatabaseTests.savedPlan)
      #expect(try await project.run(["db:migrate"], environment: env).status == 0, "someone migrated in between")
      try await project.expect(["apply", "m.json"], environment: env, stdout: "", stderr: """
        error: refused: `m.json` no longer matches the project (1 change); nothing was run
         = step 1 (db:migrate): the target moved since the plan: it recorded nothing, now 20261201120000 ea2393b0743b, 20261201130000 2db315ec15c0
         = help: plan again, review it, and apply the new plan

        """, status: 3, normalizing: DatabaseTests.variable(database))

      #expect(try await project.run(["db:rollback"], environment: env).status == 0)
      #expect(try await project.run(["plan", "db:migrate", "-e", "prod", "--out", "m.json"], environment: env).status == 0)
      try await project.expect(["apply", "m.json"], environment: env, stdout: """
        cruddur db:migrate on prod (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
        == db:migrate apply 1 pending migration of db/migrations (read from the target in a read-only transaction)
        applied 20261201130000_add_author.sql in <duration>
        1 migration applied
           done in <duration>
        ✓ 1 step done in <duration>

        """, normalizing: DatabaseTests.variable(database))
      #expect(try await Self.applied(database).count == 2)
    }

    @Test("a destructive statement in a pending migration needs consent on prod; an applied one does not")
    func protection() async throws {
      let (project, database, env) = try await Self.project([
        "20261201120000_create_notes.sql": Self.first,
        "20261201130000_drop.sql": "-- migrate:up\ndrop table public.notes;\n",
      ])
      defer { project.remove() }
      _ = database
      try await project.expect(["db:migrate", "-e", "prod"], environment: env, stdout: "", stderr: """
        error: refused: prod is protected: step 1 needs consent (--yes or type 'prod'); nothing was run
         = 1. db:migrate: apply 2 pending migrations of db/migrations (read from the target in a read-only transaction) on postgres@127.0.0.1:<port>/<db>
         = help: pass --yes, or run it on a terminal and type 'prod'

        """, status: 3, normalizing: DatabaseTests.variable(database))
      #expect(try await project.run(["db:migrate", "-e", "prod", "--yes"], environment: env).status == 0)
      try project.write("db/migrations/20261201140000_more.sql", "-- migrate:up\ncreate table public.more (id int);\n")
      let calm = try await project.run(["db:migrate", "-e", "prod"], environment: env)
      #expect(calm.status == 0, "the DROP is applied already: \(calm)")
    }

    @Test("structure.sql is written after a migrate and is the same across two runs (no \\restrict keys)")
    func structureDump() async throws {
      let (project, database, env) = try await Self.project(
        ["20261201120000_create_notes.sql": Self.first, "20261201130000_add_author.sql": Self.second], dump: true)
      defer { project.remove() }
      try await project.expect(["db:migrate"], environment: env, stdout: """
        cruddur db:migrate on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
        == db:migrate apply pending migrations of db/migrations (2 files)
        applied 20261201120000_create_notes.sql in <duration>
        applied 20261201130000_add_author.sql in <duration>
        2 migrations applied
        wrote db/structure.sql
           done in <duration>
        ✓ 1 step done in <duration>

        """, normalizing: DatabaseTests.variable(database))
      let path = project.path + "/db/structure.sql"
      let first = try String(contentsOfFile: path, encoding: .utf8)
      // pg_dump's own version lines are the machine's; no \restrict key, and cruddur's own
      // bookkeeping (cruddur.migrations) left out.
      ExactOutput.expect(
        first, equals: """
        --
        -- PostgreSQL database dump
        --


        -- Dumped from database version <version>
        -- Dumped by pg_dump version <version>

        SET statement_timeout = 0;
        SET lock_timeout = 0;
        SET idle_in_transaction_session_timeout = 0;
        SET client_encoding = 'UTF8';
        SET standard_conforming_strings = on;
        SELECT pg_catalog.set_config('search_path', '', false);
        SET check_function_bodies = false;
        SET xmloption = content;
        SET client_min_messages = warning;
        SET row_security = off;

        SET default_tablespace = '';

        SET default_table_access_method = heap;

        --
        -- Name: notes; Type: TABLE; Schema: public; Owner: -
        --

        CREATE TABLE public.notes (
            id integer NOT NULL,
            body text NOT NULL,
            author text
        );


        --
        -- Name: notes_id_seq; Type: SEQUENCE; Schema: public; Owner: -
        --

        CREATE SEQUENCE public.notes_id_seq
            AS integer
            START WITH 1
            INCREMENT BY 1
            NO MINVALUE
            NO MAXVALUE
            CACHE 1;


        --
        -- Name: notes_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
        --

        ALTER SEQUENCE public.notes_id_seq OWNED BY public.notes.id;


        --
        -- Name: notes id; Type: DEFAULT; Schema: public; Owner: -
        --

        ALTER TABLE ONLY public.notes ALTER COLUMN id SET DEFAULT nextval('public.notes_id_seq'::regclass);


        --
        -- Name: notes notes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
        --

        ALTER TABLE ONLY public.notes
            ADD CONSTRAINT notes_pkey PRIMARY KEY (id);


        --
        -- PostgreSQL database dump complete
        --



        """, normalizing: [.pattern(#"(Dumped (from database|by pg_dump) version) .*"#, as: "$1 <version>")])
      #expect(try await project.run(["db:rollback", "--set", "STEP=2"], environment: env).status == 0)
      #expect(try await project.run(["db:migrate"], environment: env).status == 0)
      #expect(try String(contentsOfFile: path, encoding: .utf8) == first)
      try await project.expect(["plan", "db:migrate", "-e", "prod"], environment: env, stdout: """
        Plan for db:migrate on prod (postgresql://postgres:****@127.0.0.1:<port>/<db>)
        1. db:migrate (migrate)
           apply pending migrations of db/migrations (2 files)
           target: postgres@127.0.0.1:<port>/<db>
           20261201120000_create_notes.sql  sha256 ea2393b0743b  1 statement
           20261201130000_add_author.sql  sha256 2db315ec15c0  1 statement
             locks: alter table public.notes add column author text (db/migrations/20261201130000_add_author.sql:2)
               public.notes ACCESS EXCLUSIVE (blocks reads and writes)
           which are pending is read from the target at run time
           lock_timeout 2s; retried up to 3 times on a lock timeout or a deadlock
           no structure dump: prod is protected

        """, normalizing: DatabaseTests.variable(database))
      _ = database
    }

    @Test("db:prepare creates, migrates and seeds a new database; on an existing one it migrates and seeds nothing")
    func prepare() async throws {
      let database = TestCluster.uniqueDatabaseName("prep")
      let project = try DatabaseTests.dbProject(database: database)
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      let first = try await project.run(["db:prepare"], environment: env)
      #expect(first.status == 0, "\(first)")
      let cluster = DatabaseTests.cluster
      #expect(try await cluster.value("select count(*) from public.users", database: database) == "2")
      #expect(try await Self.applied(database) == ["20261201000000"])
      let system = try await cluster.value("select system_identifier from pg_control_system()") ?? ""
      #expect(try await cluster.value(
        "select s.setconfig[1] from pg_db_role_setting s join pg_database d on d.oid = s.setdatabase where d.datname = '\(database)'")
        == "cruddur.environment=local;system=\(system);database=\(database)", "stamped with its environment and identity")
      try project.write("db/migrations/20261201120000_bio.sql", "-- migrate:up\nalter table public.users add column bio text;\n")
      try await project.expect(["db:prepare"], environment: env, stdout: """
        cruddur db:prepare on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 3 steps
        == db:create create database "<db>" if it does not exist
        database "<db>" already exists
           done in <duration>
        == db:migrate apply pending migrations of db/migrations (2 files)
        applied 20261201120000_bio.sql in <duration>
        1 migration applied
        wrote db/structure.sql
           done in <duration>
        == db:seed:empty run db/seed.sql in one transaction
        == db:seed:empty skipped: the `unless` query returned a row
        ✓ 2 steps done, 1 skipped in <duration>

        """, normalizing: DatabaseTests.variable(database))
      #expect(try await cluster.value("select count(*) from public.users", database: database) == "2", "not seeded twice")
      #expect(FileManager.default.fileExists(atPath: project.path + "/db/structure.sql"))
    }

    @Test("after db:setup, db:migrate records the baseline without changing anything")
    func baselineAfterSetup() async throws {
      let database = TestCluster.uniqueDatabaseName("base")
      let project = try DatabaseTests.dbProject(database: database)
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      #expect(try await project.run(["db:setup"], environment: env).status == 0)
      try await project.expect(["db:migrate"], environment: env, stdout: """
        cruddur db:migrate on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
        == db:migrate apply pending migrations of db/migrations (1 file)
        applied 20261201000000_baseline.sql in <duration>
        1 migration applied
        wrote db/structure.sql
           done in <duration>
        ✓ 1 step done in <duration>

        """,
        stderr: """
          NOTICE:  extension "uuid-ossp" already exists, skipping
          NOTICE:  relation "users" already exists, skipping
          NOTICE:  relation "activities" already exists, skipping

          """, normalizing: DatabaseTests.variable(database))
      #expect(try await DatabaseTests.cluster.value("select count(*) from public.users", database: database) == "2")
    }
  }
}
