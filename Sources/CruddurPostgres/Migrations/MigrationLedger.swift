import CruddurCore
import Foundation

/// Where the target records its migrations: `cruddur.migrations` (version, name, sha256 of
/// the up block, applied at, by whom, how long), created on first use. dbmate's table
/// (`DbmateLedger`: wherever dbmate keeps it for the URL) is read on every run and
/// reconciled with it (`LedgerReconciliation`): what dbmate applied since is adopted, what
/// dbmate rolled back is no longer applied; and every migration cruddur applies or rolls
/// back is written there too, so the team can still run dbmate.
enum MigrationLedger {
  static let table = "cruddur.migrations"

  /// What the target says, reconciled.
  struct State: Sendable, Equatable {
    /// What is applied, both ledgers reconciled.
    var applied: [AppliedMigration]
    var hasTable: Bool
    var hasDBMateTable: Bool
    /// dbmate's table, schema-qualified and quoted as dbmate quotes it, when it exists.
    var dbmateTable: String? = nil
    var reconciliation: LedgerReconciliation? = nil
  }

  /// One query, the case every deploy meets: cruddur's rows and dbmate's versions (read
  /// through `query_to_xml`, so a missing table is no error). dbmate's come once, in a
  /// first row of their own: joined to every row of cruddur's they were read again and
  /// sent again for each (100 migrations made 150 KB and a hundred dynamic queries).
  /// Inside a transaction (`probeFirst`) cruddur's table is looked up first, since a
  /// failed query would abort the transaction.
  static func read(
    _ connection: Connection, dbmate: DbmateLedger = DbmateLedger(migrationsTable: nil, searchPath: nil),
    probeFirst: Bool = false
  ) async throws -> State {
    if probeFirst {
      let exists = try await connection.execute("select pg_catalog.to_regclass('\(table)') is not null", parameters: [])
      if exists.rows.first?.first != "t" { return try await readDBMate(connection, dbmate: dbmate) }
    }
    do {
      let result = try await connection.execute(
        """
        with n as (select \(dbmate.nameSQL) as name), d as (select n.name, pg_catalog.to_regclass(n.name) as t from n)
        select null::text, null::text, null::text, null::text,
          case when d.t is not null then d.name end, \(DbmateLedger.versionsSQL(regclass: "d.t")), 0 as k
        from d
        union all
        select m.version, m.name, m.sha256, to_char(m.applied_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
          null, null, 1
        from \(table) m
        order by 7, 1
        """, parameters: [])
      let dbmateTable = result.rows.first?[4] ?? nil
      let applied = result.rows.compactMap { row -> AppliedMigration? in
        guard let version = row[0] else { return nil }
        return AppliedMigration(version: version, name: row[1] ?? "", sha256: row[2], appliedAt: row[3])
      }
      let reconciliation = LedgerReconciliation(
        cruddur: applied, dbmate: dbmateTable == nil ? nil : DbmateLedger.versions(result.rows.first?[5] ?? ""),
        dbmateTable: dbmateTable ?? dbmate.shown)
      return State(
        applied: reconciliation.applied, hasTable: true, hasDBMateTable: dbmateTable != nil, dbmateTable: dbmateTable,
        reconciliation: reconciliation)
    } catch let error as ServerError where error.sqlState == .undefinedTable || error.sqlState == .invalidSchemaName {
      // First use on this database.
      return try await readDBMate(connection, dbmate: dbmate)
    }
  }

  private static func readDBMate(_ connection: Connection, dbmate: DbmateLedger) async throws -> State {
    let result = try await connection.execute(
      """
      with n as (select \(dbmate.nameSQL) as name), d as (select n.name, pg_catalog.to_regclass(n.name) as t from n)
      select case when d.t is not null then d.name end, \(DbmateLedger.versionsSQL(regclass: "d.t")) from d
      """, parameters: [])
    guard let dbmateTable = result.rows.first?[0] ?? nil else {
      return State(applied: [], hasTable: false, hasDBMateTable: false)
    }
    let versions = (DbmateLedger.versions(result.rows.first?[1] ?? "") ?? []).sorted(by: MigrationSet.precedes)
    return State(
      applied: versions.map { AppliedMigration(version: $0, name: "", sha256: nil, appliedAt: nil) },
      hasTable: false, hasDBMateTable: true, dbmateTable: dbmateTable)
  }

  /// Writes what reconciling found: adopted versions copied in (with the SHA-256 of
  /// today's file, the best record there is of what ran), rolled-back ones removed. One
  /// transaction, under the run lock.
  static func reconcile(_ reconciliation: LedgerReconciliation, files: MigrationSet, on connection: Connection)
    async throws
  {
    guard reconciliation.needsWrite else { return }
    try await connection.execute("begin")
    do {
      for adopted in reconciliation.adopted {
        let file = files.file(version: adopted.version)
        _ = try await connection.execute(
          """
          insert into \(table) (version, name, sha256, applied_at, applied_by, duration_ms)
          values ($1, $2, $3, now(), 'dbmate (adopted)', 0) on conflict (version) do nothing
          """, parameters: [adopted.version, file?.name ?? "", file?.upSHA256 ?? ""])
      }
      for gone in reconciliation.rolledBack {
        _ = try await connection.execute("delete from \(table) where version = $1", parameters: [gone.version])
      }
      try await connection.execute("commit")
    } catch {
      _ = try? await connection.execute("rollback")
      throw error
    }
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
          """, parameters: [adopted.version, file?.name ?? "", file?.upSHA256 ?? ""])
      }
      try await connection.execute("commit")
    } catch {
      _ = try? await connection.execute("rollback")
      throw error
    }
  }

  /// `note` says how it was applied when not simply run ("marked applied", "resumed from
  /// statement 3"), after the user@host.
  static func record(
    _ file: MigrationFile, duration: Duration, on connection: Connection, alsoInDBMate dbmateTable: String?,
    note: String? = nil
  ) async throws {
    let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    _ = try await connection.execute(
      "insert into \(table) (version, name, sha256, applied_by, duration_ms) values ($1, $2, $3, $4, $5)",
      parameters: [
        file.version, file.name, file.upSHA256, appliedBy + (note.map { " (\($0))" } ?? ""), String(milliseconds),
      ])
    if let dbmateTable {
      _ = try await connection.execute(
        "insert into \(dbmateTable) (version) values ($1) on conflict do nothing", parameters: [file.version])
    }
  }

  static func forget(_ version: String, on connection: Connection, alsoInDBMate dbmateTable: String?) async throws {
    _ = try await connection.execute("delete from \(table) where version = $1", parameters: [version])
    if let dbmateTable {
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
    info.appendOption("-c default_transaction_read_only=on")
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
