/// One reason something stopped, as data: a stable code for machines, the exit status it
/// ends the process with, and its words at a place. Core's kinds (`ConfigErrorKind`,
/// `RunErrorKind`) hold the DSL's, the graph's, the variables' and the plan's reasons;
/// each executor module owns an enum of its own, so a new executor adds reasons without
/// editing Core. Errors (`RunError`, `ConfigError`) carry kinds of any module.
public protocol ErrorKind: Sendable {
  /// The reason's name for machines (`error_kind` in JSON, docs/json.md): `unknownKey`,
  /// `portTaken`. Stable: a case renamed is a change of the JSON contract.
  var code: String { get }
  /// How the process ends for this reason.
  var exitStatus: ExitStatus { get }
  /// The reason in words at `location` (kinds that carry their own place ignore it).
  func diagnostic(at location: SourceLocation?) -> Diagnostic
  /// Whether `other` is the same reason with the same values (kinds of different types never are).
  func isEqual(to other: any ErrorKind) -> Bool
}

extension ErrorKind {
  /// The case's name (`unknownKey` of `.unknownKey(key: ...)`), the code every kind had
  /// before kinds moved to their modules.
  public var code: String {
    let text = String(describing: self)
    return String(text.prefix { $0 != "(" })
  }

  /// The reason in words, at the place it carries, if any.
  public var diagnostic: Diagnostic { diagnostic(at: nil) }
}

extension ErrorKind where Self: Equatable {
  public func isEqual(to other: any ErrorKind) -> Bool { (other as? Self) == self }
}

/// A kind kept as a value that compares and hashes (`Diagnostic` and `RunError` are
/// Hashable/Equatable): equal when the kinds are, hashed by code.
struct ErrorKindBox: Sendable, Hashable {
  let kind: any ErrorKind
  static func == (lhs: ErrorKindBox, rhs: ErrorKindBox) -> Bool { lhs.kind.isEqual(to: rhs.kind) }
  func hash(into hasher: inout Hasher) { hasher.combine(kind.code) }
}
