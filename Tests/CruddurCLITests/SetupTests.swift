import CruddurPostgres
import CruddurTestSupport
import Testing

extension DatabaseTests {
  @Suite struct SetupTests {
    @Test("db:setup creates the database with schema and seed rows, and again gives the same state")
    func setupTwice() async throws {
      let database = TestCluster.uniqueDatabaseName("setup")
      let project = try DatabaseTests.dbProject(database: database)
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      let cluster = DatabaseTests.cluster

      for run in 1...2 {
        // The first run finds no database to drop and says so; the second drops it.
        let dropped = run == 1 ? "database \"<db>\" does not exist\n" : ""
        try await project.expect(["db:setup"], environment: env, stdout: """
          cruddur db:setup on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 4 steps
          == db:drop drop database "<db>" if it exists, ending its sessions
          \(dropped)   done in <duration>
          == db:create create database "<db>" if it does not exist
             done in <duration>
          == db:schema run db/schema.sql in one transaction
             done in <duration>
          == db:seed run db/seed.sql in one transaction
             done in <duration>
          ✓ 4 steps done in <duration>

          """, stderr: """
          NOTICE:  table "activities" does not exist, skipping
          NOTICE:  table "users" does not exist, skipping

          """, normalizing: DatabaseTests.variable(database))
        #expect(try await cluster.databaseExists(database))
        #expect(try await cluster.value("select count(*) from public.users", database: database) == "2")
        #expect(try await cluster.value("select count(*) from public.activities", database: database) == "1")
      }
    }

    @Test("db:setup ends the sessions that hold the database open")
    func dropWithOpenSession() async throws {
      let database = TestCluster.uniqueDatabaseName("busy")
      let project = try DatabaseTests.dbProject(database: database)
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      #expect(try await project.run(["db:setup"], environment: env).status == 0)
      // A separate session stays connected while the second setup drops the database.
      let info = try ConnInfoFactory.info(DatabaseTests.cluster.url(database: database))
      let holder = try await ConnInfoFactory.connect(info)
      let again = try await project.run(["db:setup"], environment: env)
      #expect(again.status == 0, "\(again)")
      await holder.close()
    }

    @Test("a failing seed stops the run at that step with SQLSTATE, and leaves no seed rows")
    func failingSeed() async throws {
      let database = TestCluster.uniqueDatabaseName("badseed")
      // The original seed: no email, which the schema declares NOT NULL.
      let project = try DatabaseTests.dbProject(
        database: database,
        extraFiles: [
          "db/seed.sql": """
          INSERT INTO public.users (display_name, handle, cognito_user_id)
          VALUES
            ('Andrew Brown', 'andrewbrown' ,'MOCK'),
            ('Andrew Bayko', 'bayko' ,'MOCK');
          """
        ])
      defer { project.remove() }
      try await project.expect(
        ["db:setup"], environment: DatabaseTests.environment(database: database), stdout: """
        cruddur db:setup on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 4 steps
        == db:drop drop database "<db>" if it exists, ending its sessions
        database "<db>" does not exist
           done in <duration>
        == db:create create database "<db>" if it does not exist
           done in <duration>
        == db:schema run db/schema.sql in one transaction
           done in <duration>
        == db:seed run db/seed.sql in one transaction
        ✗ run failed after <duration>: 3 done; failed: db:seed

        """, stderr: """
        NOTICE:  table "activities" does not exist, skipping
        NOTICE:  table "users" does not exist, skipping
        == db:seed failed after <duration>
        error: null value in column "email" of relation "users" violates not-null constraint  [SQLSTATE 23502]
         --> db/seed.sql:1:1
          |
        1 | INSERT INTO public.users (display_name, handle, cognito_user_id)
          | ^
          = detail: Failing row contains (<uuid>, Andrew Brown, andrewbrown, null, MOCK, <timestamp>).

        """, status: 1,
        normalizing: DatabaseTests.variable(database) + [.uuids, .timestamps])
      #expect(try await DatabaseTests.cluster.value("select count(*) from public.users", database: database) == "0")
    }

    @Test("a syntax error points at the file, line and column")
    func syntaxErrorLocation() async throws {
      let database = TestCluster.uniqueDatabaseName("syntax")
      let project = try DatabaseTests.dbProject(
        database: database,
        extraFiles: ["db/seed.sql": "insert into public.users (handle) values ('a');\nselec 1;\n"])
      defer { project.remove() }
      try await project.expect(
        ["db:setup"], environment: DatabaseTests.environment(database: database), stdout: """
        cruddur db:setup on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 4 steps
        == db:drop drop database "<db>" if it exists, ending its sessions
        database "<db>" does not exist
           done in <duration>
        == db:create create database "<db>" if it does not exist
           done in <duration>
        == db:schema run db/schema.sql in one transaction
           done in <duration>
        == db:seed run db/seed.sql in one transaction
        ✗ run failed after <duration>: 3 done; failed: db:seed

        """, stderr: """
        NOTICE:  table "activities" does not exist, skipping
        NOTICE:  table "users" does not exist, skipping
        == db:seed failed after <duration>
        error: syntax error at or near "selec"  [SQLSTATE 42601]
         --> db/seed.sql:2:1
          |
        2 | selec 1;
          | ^

        """, status: 1,
        normalizing: DatabaseTests.variable(database))
    }

    @Test("a step that is not the first is never started after a failure")
    func stopsAtFirstFailure() async throws {
      let database = TestCluster.uniqueDatabaseName("stop")
      let project = try DatabaseTests.dbProject(
        database: database, extraFiles: ["db/schema.sql": "create table x (id int);\ncreate table x (id int);\n"])
      defer { project.remove() }
      try await project.expect(
        ["db:setup"], environment: DatabaseTests.environment(database: database), stdout: """
        cruddur db:setup on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 4 steps
        == db:drop drop database "<db>" if it exists, ending its sessions
        database "<db>" does not exist
           done in <duration>
        == db:create create database "<db>" if it does not exist
           done in <duration>
        == db:schema run db/schema.sql in one transaction
        ✗ run failed after <duration>: 2 done; failed: db:schema; never started: db:seed

        """, stderr: """
        == db:schema failed after <duration>
        error: relation "x" already exists  [SQLSTATE 42P07]
         --> db/schema.sql:2:1
          |
        2 | create table x (id int);
          | ^

        """, status: 1,
        normalizing: DatabaseTests.variable(database))
      #expect(try await DatabaseTests.cluster.value("select to_regclass('public.x')::text", database: database) == nil)
    }

    @Test("db:sessions lists sessions as a table; users:add binds its parameters")
    func queryTasks() async throws {
      let database = TestCluster.uniqueDatabaseName("query")
      let project = try DatabaseTests.dbProject(database: database)
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      #expect(try await project.run(["db:setup"], environment: env).status == 0)
      let sessions = try await project.run(["db:sessions"], environment: env)
      #expect(sessions.status == 0)
      #expect(sessions.stdout.contains("process_id |"))
      #expect(sessions.stdout.contains("cruddur"))
      // A value that would break out of a spliced string stays a value.
      try await project.expect(
        ["users:add", "O'Brien'); drop table users; --", "obrien", "o@example.com", "MOCK"], environment: env,
        stdout: """
          cruddur users:add on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
          == users:add query: insert into public.users (display_name, handle, email, cognito_user_id) values ($1, $2, $3, $4) returning uuid
                           uuid                \u{20}
          --------------------------------------
           <uuid>
          (1 row)
             done in <duration>
          ✓ 1 step done in <duration>

          """, normalizing: DatabaseTests.variable(database) + [.uuids])
      #expect(
        try await DatabaseTests.cluster.value(
          "select display_name from public.users where handle = 'obrien'", database: database)
          == "O'Brien'); drop table users; --")
    }

    @Test("a refused connection is one clear error without the password, exit 1")
    func refusedConnection() async throws {
      let port = try TestCluster.freePort()
      let project = try DatabaseTests.dbProject(database: "x")
      defer { project.remove() }
      try await project.expect(
        ["db:create"], environment: ["TEST_URL": "postgresql://postgres:\(TestCluster.password)@127.0.0.1:\(port)/x"],
        stdout: """
        cruddur db:create on local (postgresql://postgres:****@127.0.0.1:<port>/x), 1 step
        == db:create create database "x" if it does not exist
        ✗ run failed after <duration>: 0 done; failed: db:create

        """, stderr: """
        == db:create failed after <duration>
        error: cannot connect to postgres@127.0.0.1:<port>/postgres: connection to server at "127.0.0.1", port <port> failed: Connection refused. Is the server running on that host and accepting TCP/IP connections?
         = help: is the server running? For a local environment, `embedded: true` lets cruddur start one

        """, status: 1, normalizing: [.durations, .number(port, as: "<port>")])
    }
  }
}
