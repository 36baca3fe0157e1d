import CruddurCore

/// `unless: { sql: QUERY }`: the step is skipped when the query returns a row. Runs on a
/// connection to the environment's database leased for the check. Read as a `query:` is
/// (a COPY's lines count as rows).
public struct UnlessSQLCheck: QueryCheck {
  public init() {}

  public func returnsRow(_ sql: String, step: PlannedStep, in context: StepContext) async throws
    -> Bool
  {
    try await PostgresSession.withConnection(context, step: step) {
      try await $0.stream(sql, parameters: [], chunkSize: 1, onColumns: { _ in }, onRows: { _ in })
        .rowCount > 0
    }
  }
}
