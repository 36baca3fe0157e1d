import CruddurCore

/// Every saved plan applied to a database, recorded on the database itself
/// (`cruddur.applied_plans`: the SHA-256 of the plan file's bytes, when, by whom, from
/// which file), so `apply` refuses to run a destructive plan that was applied before,
/// whichever plans ran in between and whichever machine applied them, unless `--again`.
public enum AppliedPlan {
  static let table = "cruddur.applied_plans"

  /// When and by whom the plan was last applied: "2026-12-07 18:10:00 UTC by ann@laptop".
  public static func lastApplied(
    _ digest: String, environment: ResolvedEnvironment, resources: RunResources, projectRoot: String
  ) async throws -> String? {
    try await withTarget(environment: environment, resources: resources, projectRoot: projectRoot) {
      try await lastApplied(digest, on: $0)
    } ?? nil
  }

  /// `lastApplied` on a session to the target database.
  static func lastApplied(_ digest: String, on connection: Connection) async throws -> String? {
    let exists = try await connection.execute(
      "select pg_catalog.to_regclass('\(table)') is not null", parameters: [])
    guard exists.rows.first?.first == "t" else { return nil }
    let result = try await connection.execute(
      """
      select to_char(applied_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC by ' || applied_by
      from \(table) where digest = $1 order by applied_at desc limit 1
      """, parameters: [digest])
    return result.rows.first?.first ?? nil
  }

  /// Records the plan on the target, if the plan left one.
  public static func record(
    _ digest: String, file: String, environment: ResolvedEnvironment, resources: RunResources,
    projectRoot: String
  ) async throws {
    _ = try await withTarget(
      environment: environment, resources: resources, projectRoot: projectRoot
    ) { try await record(digest, file: file, environment: environment.name, on: $0) }
  }

  /// `record` on a session to the target database.
  static func record(_ digest: String, file: String, environment: String, on connection: Connection)
    async throws
  {
    // Quietly: "already exists, skipping" is no news for the user.
    do {
      try await connection.execute(
        """
        begin;
        set local client_min_messages = warning;
        create schema if not exists cruddur;
        create table if not exists \(table) (
          digest text not null,
          applied_at timestamptz not null default now(),
          applied_by text not null,
          environment text not null,
          file text not null
        );
        comment on table \(table) is 'Saved plans applied by cruddur apply, one row each time';
        commit;
        """)
    } catch {
      _ = try? await connection.execute("rollback")
      throw error
    }
    _ = try await connection.execute(
      "insert into \(table) (digest, applied_by, environment, file) values ($1, $2, $3, $4)",
      parameters: [digest, MigrationLedger.appliedBy, environment, file])
  }

  /// `body` on the target database; nil, without calling it, when that database does not
  /// exist (a plan that drops it, or one not yet run).
  private static func withTarget<T: Sendable>(
    environment: ResolvedEnvironment, resources: RunResources, projectRoot: String,
    _ body: (Connection) async throws -> T
  ) async throws -> T? {
    let target = try PostgresSession.info(for: environment)
    let pool = SessionPool.shared(in: resources)
    let maintenance = try await pool.lease(
      target.with(database: PostgresSession.maintenanceDatabase), environment: environment,
      projectRoot: projectRoot,
      holder: "apply")
    let exists: Bool
    do {
      exists =
        !(try await maintenance.execute(
          "select 1 from pg_catalog.pg_database where datname = $1", parameters: [target.database]))
        .rows.isEmpty
      await pool.giveBack(maintenance)
    } catch {
      await pool.giveBack(maintenance)
      throw error
    }
    guard exists else { return nil }
    let connection = try await pool.lease(
      target, environment: environment, projectRoot: projectRoot, holder: "apply")
    do {
      let value = try await body(connection)
      await pool.giveBack(connection)
      return value
    } catch {
      await pool.giveBack(connection)
      throw error
    }
  }
}
