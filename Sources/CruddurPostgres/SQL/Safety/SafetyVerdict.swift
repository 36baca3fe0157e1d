/// A statement's class and, for destructive and unknown ones, why ("DELETE without WHERE
/// on public.t", "dynamic EXECUTE in a DO block").
public struct SafetyVerdict: Sendable, Equatable {
  public var safetyClass: SafetyClass
  public var reason: String?

  public init(_ safetyClass: SafetyClass, _ reason: String? = nil) {
    self.safetyClass = safetyClass
    self.reason = reason
  }

  public static let readOnly = SafetyVerdict(.readOnly)
  public static let writing = SafetyVerdict(.writing)

  /// The weightier of two verdicts; on a tie the first reason found is kept, so a plan
  /// names the outermost cause.
  func joined(_ other: SafetyVerdict) -> SafetyVerdict {
    other.safetyClass > safetyClass ? other : self
  }

  mutating func join(_ other: SafetyVerdict) { self = joined(other) }
}
