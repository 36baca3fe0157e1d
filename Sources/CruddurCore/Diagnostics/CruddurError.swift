/// An error that knows how it ends the process and how to explain itself.
public protocol CruddurError: Error, Sendable {
  var exitStatus: ExitStatus { get }
  var diagnostics: [Diagnostic] { get }
}

/// The configuration could not be read, decoded or validated; every problem found is kept.
public struct ConfigError: CruddurError {
  public var diagnostics: [Diagnostic]
  public var exitStatus: ExitStatus { .configError }
  public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
  public init(_ diagnostic: Diagnostic) { self.diagnostics = [diagnostic] }
  public init(_ kind: ConfigErrorKind, at location: SourceLocation? = nil) {
    self.diagnostics = [kind.diagnostic(at: location)]
  }
  /// A configuration kind of an executor module.
  public init(kind: any ErrorKind, at location: SourceLocation? = nil) {
    self.diagnostics = [kind.diagnostic(at: location)]
  }
  /// The reasons of the diagnostics made from a kind, in order (those still worded at their
  /// call site have none).
  public var kinds: [ConfigErrorKind] { diagnostics.compactMap(\.kind) }
  /// The reasons of the diagnostics made from a kind of any module, in order.
  public var errorKinds: [any ErrorKind] { diagnostics.compactMap(\.errorKind) }
}
