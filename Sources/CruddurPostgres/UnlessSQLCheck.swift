import CruddurCore

/// `unless: { sql: QUERY }`: the step is skipped when the query returns a row. Runs on a
/// connection to the environment's database leased for the check.
public struct UnlessSQLCheck: QueryCheck {
  public init() {}

  public func returnsRow(_ sql: String, step: PlannedStep, in context: StepContext) async throws -> Bool {
    try await PostgresSession.withConnection(context, step: step) {
      try await !$0.execute(sql, parameters: []).rows.isEmpty
    }
  }
}
