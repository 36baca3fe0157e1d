import CruddurCore
import Foundation

/// Where the target records its migrations: `cruddur.migrations` (version, name, sha256 of
/// the up block, applied at, by whom, how long), created on first use. A dbmate
/// `schema_migrations` table is adopted: its versions count as applied and are copied in
/// when the table is created, and later migrations are recorded there too, so the team
/// can still run dbmate.
enum MigrationLedger {
  static let table = "cruddur.migrations"
  static let dbmateTable = "public.schema_migrations"

  /// What the target says.
  struct State: Sendable, Equatable {
    var applied: [AppliedMigration]
    var hasTable: Bool
    var hasDBMateTable: Bool
  }

  /// One query when the table exists, the case every deploy meets: the left join keeps one
  /// row when nothing is recorded yet, to carry whether dbmate's table is there. Inside a
  /// transaction (`probeFirst`) the table is looked up first, since a failed query would
  /// abort the transaction.
  static func read(_ connection: Connection, probeFirst: Bool = false) async throws -> State {
    if probeFirst {
      let exists = try await connection.execute("select pg_catalog.to_regclass('\(table)') is not null", parameters: [])
      if exists.rows.first?.first != "t" { return try await readDBMate(connection) }
    }
    do {
      let result = try await connection.execute(
        """
        select m.version, m.name, m.sha256, to_char(m.applied_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
          d.present
        from (select pg_catalog.to_regclass('\(dbmateTable)') is not null as present) d
          left join \(table) m on true
        order by m.version
        """, parameters: [])
      let hasDBMate = result.rows.first?[4] == "t"
      let applied = result.rows.compactMap { row -> AppliedMigration? in
        guard let version = row[0] else { return nil }
        return AppliedMigration(version: version, name: row[1] ?? "", sha256: row[2], appliedAt: row[3])
      }
      return State(applied: applied, hasTable: true, hasDBMateTable: hasDBMate)
    } catch let error as ServerError where error.sqlState == .undefinedTable || error.sqlState == .invalidSchemaName {
      // First use on this database.
      return try await readDBMate(connection)
    }
  }

  private static func readDBMate(_ connection: Connection) async throws -> State {
      let dbmate = try await connection.execute(
        "select pg_catalog.to_regclass('\(dbmateTable)') is not null", parameters: [])
      guard dbmate.rows.first?.first == "t" else { return State(applied: [], hasTable: false, hasDBMateTable: false) }
      let versions = try await connection.execute("select version from \(dbmateTable) order by version", parameters: [])
      return State(
        applied: versions.rows.compactMap { $0[0] }.map { AppliedMigration(version: $0, name: "", sha256: nil, appliedAt: nil) },
        hasTable: false, hasDBMateTable: true)
  }

  /// Creates the table, copying in what dbmate applied (with the SHA-256 of today's file,
  /// the best record there is of what ran). Called under the run lock.
  static func create(on connection: Connection, adopting state: State, files: MigrationSet) async throws {
    _ = try await connection.execute(
      """
      begin;
      create schema if not exists cruddur;
      create table if not exists \(table) (
        version text primary key,
        name text not null,
        sha256 text not null,
        applied_at timestamptz not null default now(),
        applied_by text not null,
        duration_ms bigint not null
      );
      comment on table \(table) is 'Migrations applied by cruddur (migrate:), one row each';
      """)
    do {
      for adopted in state.applied {
        let file = files.file(version: adopted.version)
        _ = try await connection.execute(
          """
          insert into \(table) (version, name, sha256, applied_at, applied_by, duration_ms)
          values ($1, $2, $3, now(), 'dbmate (adopted)', 0) on conflict (version) do nothing
          """, parameters: [adopted.version, file?.name ?? "", file?.up.sha256 ?? ""])
      }
      try await connection.execute("commit")
    } catch {
      _ = try? await connection.execute("rollback")
      throw error
    }
  }

  static func record(
    _ file: MigrationFile, duration: Duration, on connection: Connection, alsoInDBMate: Bool
  ) async throws {
    let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    _ = try await connection.execute(
      "insert into \(table) (version, name, sha256, applied_by, duration_ms) values ($1, $2, $3, $4, $5)",
      parameters: [file.version, file.name, file.up.sha256, appliedBy, String(milliseconds)])
    if alsoInDBMate {
      _ = try await connection.execute(
        "insert into \(dbmateTable) (version) values ($1) on conflict do nothing", parameters: [file.version])
    }
  }

  static func forget(_ version: String, on connection: Connection, alsoInDBMate: Bool) async throws {
    _ = try await connection.execute("delete from \(table) where version = $1", parameters: [version])
    if alsoInDBMate {
      _ = try await connection.execute("delete from \(dbmateTable) where version = $1", parameters: [version])
    }
  }

  /// `user@host` of the machine that ran it.
  static var appliedBy: String { "\(NSUserName())@\(ProcessInfo.processInfo.hostName)" }

  /// Reads the state on a connection of its own that cannot write: the session defaults
  /// to read-only transactions and the read runs in a `READ ONLY` one, rolled back. For
  /// `plan --check`; nothing is created, not even the table.
  static func readOnly<T: Sendable>(
    _ info: ConnInfo, environment: ResolvedEnvironment? = nil, _ body: @Sendable (Connection) async throws -> T
  ) async throws -> T {
    var info = info
    info["options"] = "-c default_transaction_read_only=on"
    let connection =
      if let environment {
        try await Connection.connect(info, environment: environment, applicationName: "cruddur plan --check")
      } else {
        try await Connection.connect(info, applicationName: "cruddur plan --check")
      }
    do {
      try await connection.execute("begin transaction read only")
      let result = try await body(connection)
      try await connection.execute("rollback")
      await connection.close()
      return result
    } catch {
      await connection.close()
      throw error
    }
  }
}
