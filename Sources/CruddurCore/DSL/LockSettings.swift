/// `lock_timeout`, `statement_timeout` and `retries` as written on an environment or on a
/// `sql:`/`migrate:` task; nil where not written. A task's settings win over its
/// environment's; the Postgres executors supply the defaults (a protected environment
/// gets a lock timeout even when none is written).
public struct LockSettings: Sendable, Hashable, Codable {
  /// Seconds; 0 turns the timeout off.
  public var lockTimeout: Double?
  /// Seconds; 0 turns the timeout off.
  public var statementTimeout: Double?
  /// How many times a one-transaction step is run again after a lock timeout or a deadlock.
  public var retries: Int?
  /// On a protected environment, an ACCESS EXCLUSIVE lock held while rewriting or scanning
  /// a table of at least this many rows needs consent.
  public var largeTableRows: Int?

  /// The keys this reads, for the known-key lists of environments and executors.
  public static let keys = ["lock_timeout", "statement_timeout", "retries", "large_table_rows"]
  /// More is a typo: each retry waits for a lock again, on a production table.
  public static let maximumRetries = 50

  public init(
    lockTimeout: Double? = nil, statementTimeout: Double? = nil, retries: Int? = nil,
    largeTableRows: Int? = nil
  ) {
    self.lockTimeout = lockTimeout
    self.statementTimeout = statementTimeout
    self.retries = retries
    self.largeTableRows = largeTableRows
  }

  /// These settings where written, `fallback`'s elsewhere.
  public func over(_ fallback: LockSettings) -> LockSettings {
    LockSettings(
      lockTimeout: lockTimeout ?? fallback.lockTimeout,
      statementTimeout: statementTimeout ?? fallback.statementTimeout,
      retries: retries ?? fallback.retries,
      largeTableRows: largeTableRows ?? fallback.largeTableRows)
  }

  /// Reads the keys of `mapping` this type owns; anything wrong is a diagnostic at its value.
  public static func decode(_ mapping: [String: YAMLNode], diagnostics: inout [Diagnostic])
    -> LockSettings
  {
    var settings = LockSettings()
    for key in keys {
      guard let node = mapping[key] else { continue }
      settings.read(key: key, node, diagnostics: &diagnostics)
    }
    return settings
  }

  /// Reads one of `keys` into these settings.
  public mutating func read(key: String, _ node: YAMLNode, diagnostics: inout [Diagnostic]) {
    switch key {
    case "lock_timeout":
      lockTimeout = Self.timeout(node, "`lock_timeout`", diagnostics: &diagnostics)
    case "statement_timeout":
      statementTimeout = Self.timeout(node, "`statement_timeout`", diagnostics: &diagnostics)
    case "retries":
      guard let text = node.string, !node.isNull, let count = Int(text),
        (0...Self.maximumRetries).contains(count)
      else {
        diagnostics.append(
          ConfigErrorKind.invalidValue(
            what: "`retries`", requirement: "be a whole number from 0 to \(Self.maximumRetries)",
            found: node.string.map { "`\($0)`" } ?? node.kindName, suggestion: nil
          ).diagnostic(at: node.spanLocation))
        return
      }
      retries = count
    case "large_table_rows":
      guard let text = node.string, !node.isNull, let rows = Int(text), rows >= 0 else {
        diagnostics.append(
          ConfigErrorKind.invalidValue(
            what: "`large_table_rows`", requirement: "be a whole number of rows, 0 or more",
            found: node.string.map { "`\($0)`" } ?? node.kindName, suggestion: nil
          ).diagnostic(at: node.spanLocation))
        return
      }
      largeTableRows = rows
    default: break
    }
  }

  /// A duration (`500ms`, `2s`, `1m`) or `0` for off. Postgres counts these timeouts in
  /// whole milliseconds, so less than 1 ms (other than 0) would silently mean off.
  private static func timeout(_ node: YAMLNode, _ what: String, diagnostics: inout [Diagnostic])
    -> Double?
  {
    let requirement =
      "be a duration such as `500ms` or `2s` (at least 1ms, at most 1 day), or `0` for off"
    guard let text = node.string, !node.isNull, let seconds = DurationText.seconds(text),
      seconds == 0 || (seconds >= 0.001 && seconds <= 86_400)
    else {
      diagnostics.append(
        ConfigErrorKind.invalidValue(
          what: what, requirement: requirement,
          found: node.string.map { "`\($0)`" } ?? node.kindName, suggestion: nil
        ).diagnostic(at: node.spanLocation))
      return nil
    }
    return seconds
  }
}
