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
      let created = TestCluster.uniqueDatabaseName("made")
      let project = try PostgresLoaderTests.project(database: database, sql: Self.script(creating: created))
      defer { project.remove() }
      let result = try await PostgresLoaderTests.load(project, database: database)
      #expect(result.status == 2, "\(result)")
      #expect(result.stderr.contains("--> db/load.sql:2:1\n"), "\(result)")
      #expect(result.stderr.contains("`CREATE DATABASE"), "\(result)")
      #expect(result.stderr.contains("transaction: false"), "\(result)")
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
      #expect(result.status == 1, "\(result)")
      #expect(result.stderr.contains("--> db/load.sql:3:13\n"), "\(result)")
      #expect(try await PostgresLoaderTests.snapshot(database) == ["public.a 0 "])
    }

    @Test("with transaction: false each statement stands alone, as with psql -f: those before a failure stay")
    func eachStatementCommits() async throws {
      let database = try await PostgresLoaderTests.createDatabase("notxeach")
      let project = try PostgresLoaderTests.project(
        database: database,
        sql: "create table c (id int);\ninsert into c values (1);\ninsert into c values ('x');\ninsert into c values (3);\n",
        transaction: false)
      defer { project.remove() }
      let result = try await PostgresLoaderTests.load(project, database: database)
      #expect(result.status == 1, "\(result)")
      #expect(result.stderr.contains("--> db/load.sql:3:"), "\(result)")
      #expect(try await PostgresLoaderTests.cluster.value("select count(*) from c", database: database) == "1")
    }
  }
}
