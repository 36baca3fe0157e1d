import CruddurCore
import Foundation

/// What a fleet run did to one target, recorded on the target itself in
/// `cruddur.fleet_runs`, so a run started on another machine (a CI job, a pod) can be read
/// and resumed from anywhere: one row per run id, its outcome, when, by whom, and the
/// first error of a failure. `--resume` skips the targets whose row says `done`.
public enum FleetRunRecord {
  static let table = "cruddur.fleet_runs"

  /// The table, made on a target's first record (its schema made before).
  static let createTable = """
    create table if not exists \(table) (
      run_id text primary key,
      tasks text not null,
      outcome text not null,
      finished_at timestamptz not null default now(),
      duration_ms bigint not null,
      error text,
      recorded_by text not null
    );
    comment on table \(table) is 'Fleet runs of cruddur that reached this database, one row a run';
    """

  public struct Entry: Sendable, Equatable {
    public var outcome: String
    public var finishedAt: String
    public var tasks: String
    public var error: String?
  }

  /// Records the target's outcome; an existing row of the same run (a resumed target) is
  /// replaced. One round trip when the table exists, which is every time but the first.
  public static func write(
    _ target: FleetTarget, runID: String, tasks: String, outcome: FleetTargetResult.Outcome,
    seconds: Double,
    error: String?
  ) async throws {
    let info = try ConnInfo(parsing: target.url)
    let connection = try await Connection.connect(info, applicationName: "cruddur fleet")
    defer { Task { await connection.close() } }
    try await write(
      on: connection, runID: runID, tasks: tasks, outcome: outcome, seconds: seconds, error: error)
  }

  /// The same on a connection the caller holds (the target's own session, at its end).
  static func write(
    on connection: Connection, runID: String, tasks: String, outcome: FleetTargetResult.Outcome,
    seconds: Double,
    error: String?
  ) async throws {
    let insert = """
      insert into \(table) (run_id, tasks, outcome, duration_ms, error, recorded_by)
      values ($1, $2, $3, $4, $5, $6)
      on conflict (run_id) do update set tasks = excluded.tasks, outcome = excluded.outcome,
        finished_at = now(), duration_ms = excluded.duration_ms, error = excluded.error,
        recorded_by = excluded.recorded_by
      """
    let parameters: [String?] = [
      runID, tasks, outcome.rawValue, String(Int((seconds * 1000).rounded())),
      error.map(Redaction.redact), recordedBy,
    ]
    do {
      _ = try await connection.execute(insert, parameters: parameters)
    } catch let failure as ServerError
      where failure.sqlState == .undefinedTable || failure.sqlState == .invalidSchemaName
    {
      _ = try await connection.execute("create schema if not exists cruddur;\n" + createTable)
      _ = try await connection.execute(insert, parameters: parameters)
    }
  }

  /// The target's row of `runID`; nil when it has none (never reached, or died before the end).
  public static func read(_ target: FleetTarget, runID: String) async throws -> Entry? {
    let info = try ConnInfo(parsing: target.url)
    let connection = try await Connection.connect(info, applicationName: "cruddur fleet")
    defer { Task { await connection.close() } }
    return try await read(on: connection, runID: runID)
  }

  static func read(on connection: Connection, runID: String) async throws -> Entry? {
    do {
      let rows = try await connection.execute(
        """
        select outcome, to_char(finished_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS'), tasks, error
        from \(table) where run_id = $1
        """, parameters: [runID]
      ).rows
      guard let row = rows.first else { return nil }
      return Entry(
        outcome: row[0] ?? "", finishedAt: row[1] ?? "", tasks: row[2] ?? "", error: row[3])
    } catch let failure as ServerError
      where failure.sqlState == .undefinedTable || failure.sqlState == .invalidSchemaName
    {
      return nil
    }
  }

  /// `user@host` of the machine that ran it.
  static var recordedBy: String { "\(NSUserName())@\(ProcessInfo.processInfo.hostName)" }

  /// `20261207-173005-4f2a9c`: sortable by start time, unique enough across machines.
  public static func newRunID(now: Date = Date()) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd-HHmmss"
    let suffix = String(UInt32.random(in: 0...0xFF_FFFF), radix: 16)
    return formatter.string(from: now) + "-" + String(repeating: "0", count: 6 - suffix.count)
      + suffix
  }

  /// What a run id may be (it is chosen by people with `--run-id` too): letters, digits,
  /// `-`, `_`, `.`, at most 64.
  public static func isValidRunID(_ text: String) -> Bool {
    !text.isEmpty && text.count <= 64
      && text.unicodeScalars.allSatisfy {
        ($0.isASCII && (CharacterSet.alphanumerics.contains($0)))
          || "-_.".unicodeScalars.contains($0)
      }
  }
}
