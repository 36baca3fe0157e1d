import CruddurCore

/// Which saved plan was last applied to a database, recorded on the database itself (a
/// database-level setting, like its environment stamp), so `apply` refuses to run the
/// same destructive plan twice without `--again`, whichever machine applied it.
public enum AppliedPlan {
  static let setting = "cruddur.applied_plan"

  /// Whether `digest` is the plan last applied to the environment's database.
  public static func isApplied(
    _ digest: String, environment: ResolvedEnvironment, resources: RunResources, projectRoot: String
  ) async throws -> Bool {
    try await withMaintenance(environment: environment, resources: resources, projectRoot: projectRoot) {
      connection, database in
      let result = try await connection.execute(
        """
        select c from pg_catalog.pg_db_role_setting s join pg_catalog.pg_database d on d.oid = s.setdatabase,
          unnest(s.setconfig) c
        where d.datname = $1 and s.setrole = 0 and c like 'cruddur.applied_plan=%'
        """, parameters: [database])
      guard let value = result.rows.first?.first ?? nil else { return false }
      return String(value.dropFirst(setting.count + 1)) == digest
    }
  }

  /// Records `digest` on the database, if the plan left one.
  public static func record(
    _ digest: String, environment: ResolvedEnvironment, resources: RunResources, projectRoot: String
  ) async throws {
    try await withMaintenance(environment: environment, resources: resources, projectRoot: projectRoot) {
      connection, database in
      let exists = try await connection.execute(
        "select 1 from pg_catalog.pg_database where datname = $1", parameters: [database])
      guard !exists.rows.isEmpty else { return }
      let quoted = try await connection.quoteIdentifier(database)
      try await connection.execute("ALTER DATABASE \(quoted) SET \(setting) = '\(digest.filter(\.isHexDigit))'")
    }
  }

  private static func withMaintenance<T: Sendable>(
    environment: ResolvedEnvironment, resources: RunResources, projectRoot: String,
    _ body: (Connection, String) async throws -> T
  ) async throws -> T {
    let target = try PostgresSession.info(for: environment)
    let pool = SessionPool.shared(in: resources)
    let connection = try await pool.lease(
      target.with(database: PostgresSession.maintenanceDatabase), environment: environment, projectRoot: projectRoot,
      holder: "apply")
    do {
      let value = try await body(connection, target.database)
      await pool.giveBack(connection)
      return value
    } catch {
      await pool.giveBack(connection)
      throw error
    }
  }
}
