/// A session that holds what a step waits for (PostgreSQL's `pg_blocking_pids`), as read on
/// a second connection while the step waits: enough to find it and decide what to do.
public struct LockBlocker: Sendable, Hashable {
  /// The server process of the blocking session.
  public var processID: Int32
  public var applicationName: String
  /// `active`, `idle in transaction`, ...
  public var state: String
  /// How long its transaction has been open; nil outside a transaction.
  public var transactionSeconds: Double?
  /// Its current or last statement, with literals masked and cut short.
  public var query: String

  public init(processID: Int32, applicationName: String, state: String, transactionSeconds: Double?, query: String) {
    self.processID = processID
    self.applicationName = applicationName
    self.state = state
    self.transactionSeconds = transactionSeconds
    self.query = query
  }

  /// `pid 4242 (psql, idle in transaction, transaction open 12.0s): select * from t`.
  public var summary: String {
    var about = [applicationName.isEmpty ? "no application name" : applicationName, state]
    if let transactionSeconds { about.append("transaction open \(Self.seconds(transactionSeconds))") }
    return "pid \(processID) (\(about.joined(separator: ", "))): \(query)"
  }

  public static func seconds(_ value: Double) -> String {
    // One decimal below ten seconds, without Foundation's formatter.
    if value < 10 {
      let tenths = Int((value * 10).rounded())
      return "\(tenths / 10).\(tenths % 10)s"
    }
    return "\(Int(value.rounded()))s"
  }
}
