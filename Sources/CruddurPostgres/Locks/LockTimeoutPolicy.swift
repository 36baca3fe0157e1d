import CruddurCore

/// The timeouts and retries a `sql:` or `migrate:` step runs with: the task's settings over
/// its environment's, and a lock timeout by default on a protected environment, where a
/// DDL statement queued behind a long transaction would queue every query behind itself.
struct LockTimeoutPolicy: Sendable, Hashable, Codable {
  /// Seconds; nil leaves the server's setting alone, 0 is an explicit off.
  var lockTimeout: Double?
  var statementTimeout: Double?
  /// Attempts after the first, for a step whose work is one transaction.
  var retries: Int

  /// Long enough for a quick catalog change to get its lock on a busy table; short enough
  /// that the queries queued behind the waiting statement stall for at most this long.
  static let protectedLockTimeout = 2.0
  /// coder/coder settled on five after upgrades turned into outages; three keeps a blocked
  /// run's total wait near ten seconds with the protected default.
  static let defaultRetries = 3

  init(lockTimeout: Double?, statementTimeout: Double?, retries: Int) {
    self.lockTimeout = lockTimeout
    self.statementTimeout = statementTimeout
    self.retries = retries
  }

  init(task: LockSettings, environment: ResolvedEnvironment) {
    let settings = task.over(environment.lockSettings)
    lockTimeout = settings.lockTimeout ?? (environment.isProtected ? Self.protectedLockTimeout : nil)
    statementTimeout = settings.statementTimeout
    retries = settings.retries ?? Self.defaultRetries
  }

  var isEmpty: Bool { lockTimeout == nil && statementTimeout == nil }

  /// `SET LOCAL` inside the step's transaction: it ends with the transaction, so nothing
  /// stays on a pooled session, and it works through a transaction-pooling PgBouncer.
  var localSettings: String? { settings("SET LOCAL") }

  /// For a step without a transaction: set for the session, then `resetSettings` after.
  var sessionSettings: String? { settings("SET") }

  var resetSettings: String? {
    guard !isEmpty else { return nil }
    return [lockTimeout.map { _ in "RESET lock_timeout" }, statementTimeout.map { _ in "RESET statement_timeout" }]
      .compactMap { $0 }.joined(separator: "; ")
  }

  private func settings(_ verb: String) -> String? {
    guard !isEmpty else { return nil }
    return [
      lockTimeout.map { "\(verb) lock_timeout = '\(Self.milliseconds($0))ms'" },
      statementTimeout.map { "\(verb) statement_timeout = '\(Self.milliseconds($0))ms'" },
    ].compactMap { $0 }.joined(separator: "; ")
  }

  static func milliseconds(_ seconds: Double) -> Int { Int((seconds * 1000).rounded()) }

  /// "lock_timeout 2s, statement_timeout off; retried up to 3 times on a lock timeout or a
  /// deadlock", for the plan; nil when cruddur sets nothing and retries nothing that could fail so.
  func planLine(isOneTransaction: Bool) -> String? {
    guard !isEmpty || retries != Self.defaultRetries else { return nil }
    var parts: [String] = []
    if let lockTimeout { parts.append("lock_timeout \(Self.shown(lockTimeout))") }
    if let statementTimeout { parts.append("statement_timeout \(Self.shown(statementTimeout))") }
    var line = parts.isEmpty ? "server's lock_timeout" : parts.joined(separator: ", ")
    if !isOneTransaction {
      line += "; not retried (not one transaction)"
    } else if retries == 0 {
      line += "; not retried"
    } else {
      line += "; retried up to \(retries) time\(retries == 1 ? "" : "s") on a lock timeout or a deadlock"
    }
    return line
  }

  static func shown(_ seconds: Double) -> String {
    if seconds == 0 { return "off" }
    let ms = milliseconds(seconds)
    if ms % 60_000 == 0 { return "\(ms / 60_000)m" }
    return ms % 1000 == 0 ? "\(ms / 1000)s" : "\(ms)ms"
  }
}
