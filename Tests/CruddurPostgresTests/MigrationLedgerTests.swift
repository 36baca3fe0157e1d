import CruddurCore
import CruddurTestSupport
import Testing

@testable import CruddurPostgres

extension PostgresLoaderTests {
  /// What `plan --check` reads through: a connection that cannot write, whatever is sent.
  @Suite struct MigrationLedgerTests {
    @Test("the read-only connection refuses every write (SQLSTATE 25006), even after its transaction ends")
    func readOnlyCannotWrite() async throws {
      let database = try await PostgresLoaderTests.createDatabase("ro")
      let info = try ConnInfo(parsing: ConnectionURL(PostgresLoaderTests.cluster.url(database: database)))
      let state = try await MigrationLedger.readOnly(info) { connection in
        let inside = await #expect(throws: ServerError.self) {
          _ = try await connection.execute("create schema cruddur", parameters: [])
        }
        #expect(inside?.sqlState == .readOnlySQLTransaction)
        _ = try await connection.execute("rollback")
        // Out of the READ ONLY transaction, the session's default still forbids writing.
        let after = await #expect(throws: ServerError.self) {
          _ = try await connection.execute("create table t (id int)", parameters: [])
        }
        #expect(after?.sqlState == .readOnlySQLTransaction)
        _ = try await connection.execute("begin transaction read only")
        return try await MigrationLedger.read(connection, probeFirst: true)
      }
      #expect(state == MigrationLedger.State(applied: [], hasTable: false, hasDBMateTable: false))
      #expect(try await PostgresLoaderTests.cluster.value("select count(*) from pg_namespace where nspname = 'cruddur'", database: database) == "0")
    }

    @Test("a block is fed to the reader with the rest of the file blanked, so positions are the file's own")
    func blockPositions() throws {
      let directory = try TemporaryDirectory(prefix: "mig")
      defer { directory.remove() }
      try directory.write(
        "db/m/20261201120000_x.sql",
        "-- migrate:up transaction:false\ncreate index concurrently i on t (a);\n-- migrate:down\ndrop index i;\n")
      let file = try MigrationFile(path: directory.path + "/db/m/20261201120000_x.sql", projectRoot: directory.path)
      #expect(file.version == "20261201120000" && file.name == "x")
      #expect(!file.up.inTransaction)
      #expect(file.down?.inTransaction == true)
      let up = file.scan(file.up, projectRoot: directory.path)
      #expect(up.diagnostics.isEmpty && up.statementCount == 1)
      let down = file.scan(try #require(file.down), projectRoot: directory.path, judges: true)
      #expect(down.destructiveStatements.map(\.shown) == ["destructive: DROP INDEX i (db/m/20261201120000_x.sql:4)"])
      #expect(String(decoding: file.up.script, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).count == 5)
    }
  }
}
