import CruddurTestSupport
import Testing

extension PostgresLoaderTests {
  @Suite struct TransactionModeTests {
    static func script(creating name: String) -> String {
      "create table before_db (id int);\nCREATE DATABASE \(name);\ncreate table after_db (id int);\n"
    }

    @Test("CREATE DATABASE in a file run in one transaction is a validation error naming the fix")
    func inTransaction() async throws {
      let database = try await PostgresLoaderTests.createDatabase("txdb")
      // A fixed name (the message quotes the statement): the check refuses the file before
      // anything runs, so no other test can see this database made.
      let created = "txdb_never_made"
      let project = try PostgresLoaderTests.project(database: database, sql: Self.script(creating: created))
      defer { project.remove() }
      let result = try await PostgresLoaderTests.load(project, database: database)
      result.expect(
        stderr: """
          error: `CREATE DATABASE TXDB_NEVER_MADE` cannot run inside a transaction block, and this file runs in one
           --> db/load.sql:2:1
            |
          2 | CREATE DATABASE txdb_never_made;
            | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
            = help: add `transaction: false` to the task to run the file statement by statement, like `psql -f`

          """, status: 2)
      #expect(try await PostgresLoaderTests.snapshot(database) == [])
      #expect(try await !PostgresLoaderTests.cluster.databaseExists(created))
    }

    @Test("with transaction: false the file runs statement by statement, CREATE DATABASE included")
    func withoutTransaction() async throws {
      let database = try await PostgresLoaderTests.createDatabase("notx")
      let created = TestCluster.uniqueDatabaseName("made")
      let project = try PostgresLoaderTests.project(
        database: database, sql: Self.script(creating: created), transaction: false)
      defer { project.remove() }
      let result = try await PostgresLoaderTests.load(project, database: database)
      #expect(result.status == 0, "\(result)")
      #expect(try await PostgresLoaderTests.cluster.databaseExists(created))
      #expect(try await PostgresLoaderTests.snapshot(database) == ["public.after_db 0 ", "public.before_db 0 "])
      _ = try await PostgresLoaderTests.cluster.query("drop database \(created)")
    }

    @Test("with transaction: false a failure stops the file there; what ran before stays")
    func stopsAtFirstError() async throws {
      let database = try await PostgresLoaderTests.createDatabase("notxerr")
      let project = try PostgresLoaderTests.project(
        database: database,
        sql: "create table a (id int);\nVACUUM a;\ninsert into missing values (1);\ncreate table b (id int);\n",
        transaction: false)
      defer { project.remove() }
      let result = try await PostgresLoaderTests.load(project, database: database)
      result.expect(
        stdout: PostgresLoaderTests.failedStatementByStatementHeader,
        stderr: """
          == load failed after <duration>
          error: relation "missing" does not exist  [SQLSTATE 42P01]
           --> db/load.sql:3:13
            |
          3 | insert into missing values (1);
            |             ^
            = 2 statements committed before the failure (`transaction: false`)

          """, status: 1, normalizing: PostgresLoaderTests.variable(database))
      #expect(try await PostgresLoaderTests.snapshot(database) == ["public.a 0 "])
    }

    @Test("with transaction: false each statement stands alone, as with psql -f: those before a failure stay")
    func eachStatementCommits() async throws {
      let database = try await PostgresLoaderTests.createDatabase("notxeach")
      let project = try PostgresLoaderTests.project(
        database: database,
        sql:
          "create table c (id int);\ninsert into c values (1);\ninsert into c values ('x');\ninsert into c values (3);\n",
        transaction: false)
      defer { project.remove() }
      let result = try await PostgresLoaderTests.load(project, database: database)
      result.expect(
        stdout: PostgresLoaderTests.failedStatementByStatementHeader,
        stderr: """
          == load failed after <duration>
          error: invalid input syntax for type integer: "x"  [SQLSTATE 22P02]
           --> db/load.sql:3:23
            |
          3 | insert into c values ('x');
            |                       ^
            = 2 statements committed before the failure (`transaction: false`)

          """, status: 1, normalizing: PostgresLoaderTests.variable(database))
      #expect(try await PostgresLoaderTests.cluster.value("select count(*) from c", database: database) == "1")
    }
  }
}
