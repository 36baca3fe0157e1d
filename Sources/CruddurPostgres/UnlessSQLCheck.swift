import CruddurCore

/// `unless: { sql: QUERY }`: the step is skipped when the query returns a row. Runs on the
/// run's shared connection to the environment's database.
public struct UnlessSQLCheck: QueryCheck {
  public init() {}

  public func returnsRow(_ sql: String, in context: StepContext) async throws -> Bool {
    let connection = try await PostgresSession.connection(context)
    return try await !connection.execute(sql, parameters: []).rows.isEmpty
  }
}
