import CruddurCore

/// How far a migration that cannot run in one transaction got (`transaction:false`, or
/// several sections): `cruddur.migration_progress` says "started" before its first
/// statement and counts each statement the server committed, each its own committed
/// write, then "done" beside its ledger row. A run killed midway leaves "started" and the
/// count, so the next run can say what ran instead of sending the file again from the top.
enum MigrationProgress {
  static let table = "cruddur.migration_progress"

  /// A migration that started and never finished.
  struct Interrupted: Sendable, Equatable {
    var version: String
    /// Statements known to have committed, counted over the file's up blocks.
    var done: Int
    var total: Int
    var since: String
    var by: String
  }

  /// Started and not done (or, with `state: "failed"`, stopped by an error the server
  /// reported, so nothing of the failing statement stayed), by normalized version; empty
  /// when the table does not exist.
  static func interrupted(on connection: Connection, state: String = "started") async throws
    -> [String: Interrupted]
  {
    try await interrupted(on: connection, states: [state])[state] ?? [:]
  }

  /// The same for several states at once, by state: one read where a state each took two
  /// round trips (a fleet target pays each one).
  static func interrupted(on connection: Connection, states: [String]) async throws
    -> [String: [String: Interrupted]]
  {
    let exists = try await connection.execute(
      "select pg_catalog.to_regclass('\(table)') is not null", parameters: [])
    guard exists.rows.first?.first == "t" else { return [:] }
    let result = try await connection.execute(
      """
      select version, statements_done, statements_total,
        to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC', updated_by, state
      from \(table) where state = any(pg_catalog.string_to_array($1, E'\\n'))
      """, parameters: [states.joined(separator: "\n")])
    var found: [String: [String: Interrupted]] = [:]
    for row in result.rows {
      guard let version = row[0], let state = row[5] else { continue }
      found[state, default: [:]][MigrationSet.normalized(version)] = Interrupted(
        version: version, done: Int(row[1] ?? "") ?? 0, total: Int(row[2] ?? "") ?? 0,
        since: row[3] ?? "",
        by: row[4] ?? "")
    }
    return found
  }

  /// "started", committed before the first statement runs.
  static func start(_ file: MigrationFile, done: Int, total: Int, on connection: Connection)
    async throws
  {
    // Quietly: "already exists, skipping" is no news for the user.
    do {
      try await connection.execute(
        """
        begin;
        set local client_min_messages = warning;
        create table if not exists \(table) (
          version text primary key,
          name text not null,
          statements_done integer not null,
          statements_total integer not null,
          state text not null,
          updated_at timestamptz not null default now(),
          updated_by text not null
        );
        comment on table \(table) is 'How far each migration that runs outside one transaction got';
        commit;
        """)
    } catch {
      _ = try? await connection.execute("rollback")
      throw error
    }
    _ = try await connection.execute(
      """
      insert into \(table) (version, name, statements_done, statements_total, state, updated_by)
      values ($1, $2, $3, $4, 'started', $5)
      on conflict (version) do update set name = excluded.name, statements_done = excluded.statements_done,
        statements_total = excluded.statements_total, state = 'started', updated_at = now(),
        updated_by = excluded.updated_by
      """,
      parameters: [file.version, file.name, String(done), String(total), MigrationLedger.appliedBy])
  }

  /// After each committed statement (or in a section's own transaction).
  static func advance(_ version: String, to done: Int, on connection: Connection) async throws {
    _ = try await connection.execute(
      "update \(table) set statements_done = $2, updated_at = now() where version = $1",
      parameters: [version, String(done)])
  }

  /// `state`: "done" or "marked applied".
  static func finish(_ version: String, state: String, on connection: Connection) async throws {
    _ = try await connection.execute(
      "update \(table) set state = $2, updated_at = now(), updated_by = $3 where version = $1",
      parameters: [version, state, MigrationLedger.appliedBy])
  }
}
