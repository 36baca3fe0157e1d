/// Evaluates `vars: { X: { sh: ... } }` and `unless: { sh: ... }` at run time. The CLI
/// injects one backed by real processes; the core never spawns.
public protocol DynamicValueResolver: Sendable {
  /// The command's standard output without its trailing newlines; throws when it fails.
  func output(of command: String, environment: [String: String], directory: String) async throws -> String
  /// Whether the command exits 0.
  func succeeds(_ command: String, environment: [String: String], directory: String) async throws -> Bool
}

/// Answers `unless: { sql: ... }`: whether the query returns at least one row.
public protocol QueryCheck: Sendable {
  func returnsRow(_ sql: String, step: PlannedStep, in context: StepContext) async throws -> Bool
}
