/// What a statement does to the data already there, as PostgreSQL's grammar shows it. On a
/// protected environment `destructive` and `unknown` need consent.
public enum SafetyClass: Int, Sendable, Comparable, Codable {
  /// Reads only (SELECT, SHOW, SET, EXPLAIN without ANALYZE, BEGIN…).
  case readOnly
  /// Adds rows or objects, or changes rows under a WHERE that reads a column.
  case writing
  /// The grammar cannot see what it does: dynamic SQL, CALL, a function not known to be
  /// read-only, a shell command, a statement PostgreSQL 15's grammar cannot read.
  case unknown
  /// Removes or rewrites rows or objects.
  case destructive

  public static func < (lhs: SafetyClass, rhs: SafetyClass) -> Bool { lhs.rawValue < rhs.rawValue }

  public var name: String {
    switch self {
    case .readOnly: "read-only"
    case .writing: "writing"
    case .unknown: "unknown"
    case .destructive: "destructive"
    }
  }

  /// Whether a protected environment asks before running it.
  public var needsConsent: Bool { self >= .unknown }
}
