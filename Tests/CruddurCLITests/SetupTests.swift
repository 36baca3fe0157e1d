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

      for _ in 1...2 {
        let result = try await project.run(["db:setup"], environment: env)
        #expect(result.status == 0, "\(result)")
        #expect(try await cluster.databaseExists(database))
        #expect(try await cluster.value("select count(*) from public.users", database: database) == "2")
        #expect(try await cluster.value("select count(*) from public.activities", database: database) == "1")
        #expect(!result.output.contains(TestCluster.password))
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
      let result = try await project.run(["db:setup"], environment: DatabaseTests.environment(database: database))
      #expect(result.status == 1, "\(result)")
      #expect(result.stderr.contains("== db:seed failed"))
      #expect(result.stderr.contains("SQLSTATE 23502"))
      #expect(result.stderr.contains("null value in column \"email\""))
      #expect(result.stdout.contains("run failed"))
      #expect(result.stdout.contains("3 done; failed: db:seed"))
      #expect(try await DatabaseTests.cluster.value("select count(*) from public.users", database: database) == "0")
    }

    @Test("a syntax error points at the file, line and column")
    func syntaxErrorLocation() async throws {
      let database = TestCluster.uniqueDatabaseName("syntax")
      let project = try DatabaseTests.dbProject(
        database: database,
        extraFiles: ["db/seed.sql": "insert into public.users (handle) values ('a');\nselec 1;\n"])
      defer { project.remove() }
      let result = try await project.run(["db:setup"], environment: DatabaseTests.environment(database: database))
      #expect(result.status == 1)
      #expect(result.stderr.contains("--> db/seed.sql:2:1"), "\(result)")
      #expect(result.stderr.contains("SQLSTATE 42601"))
    }

    @Test("a step that is not the first is never started after a failure")
    func stopsAtFirstFailure() async throws {
      let database = TestCluster.uniqueDatabaseName("stop")
      let project = try DatabaseTests.dbProject(
        database: database, extraFiles: ["db/schema.sql": "create table x (id int);\ncreate table x (id int);\n"])
      defer { project.remove() }
      let result = try await project.run(["db:setup"], environment: DatabaseTests.environment(database: database))
      #expect(result.status == 1)
      #expect(result.stdout.contains("failed: db:schema; never started: db:seed"), "\(result)")
      #expect(result.stderr.contains("SQLSTATE 42P07"))
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
      let add = try await project.run(
        ["users:add", "O'Brien'); drop table users; --", "obrien", "o@example.com", "MOCK"], environment: env)
      #expect(add.status == 0, "\(add)")
      #expect(add.stdout.contains("(1 row)"))
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
      let result = try await project.run(
        ["db:create"], environment: ["TEST_URL": "postgresql://postgres:\(TestCluster.password)@127.0.0.1:\(port)/x"])
      #expect(result.status == 1)
      #expect(result.stderr.contains("cannot connect to postgres@127.0.0.1:\(port)/postgres"), "\(result)")
      #expect(result.stderr.contains("Connection refused"))
      #expect(!result.output.contains(TestCluster.password))
    }
  }
}
