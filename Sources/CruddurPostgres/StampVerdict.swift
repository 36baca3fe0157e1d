/// Whose database a stamp says it is, for an environment: the one judgment the run's stamp
/// check refuses by and `envs --check` reports.
enum StampVerdict {
  case none
  case own
  /// Stamped for another environment.
  case other(String)
  /// Its stamp was made on another database (restored, renamed or copied since).
  case foreign(stamped: String, stampedDatabase: String)

  static func read(of database: String, for environment: String, on connection: Connection) async throws
    -> StampVerdict
  {
    guard let stamp = try await DatabaseStamp.read(of: database, on: connection) else { return .none }
    if let identity = stamp.identity, !identity.matches(await DatabaseIdentity.current(database, on: connection)) {
      return .foreign(stamped: stamp.environment, stampedDatabase: identity.database)
    }
    return stamp.environment == environment ? .own : .other(stamp.environment)
  }
}
