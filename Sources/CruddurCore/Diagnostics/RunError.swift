/// A step or the run itself failed, for the reasons in `kinds`: usually one, several when
/// a check reports every problem it found (each SQL problem of a file, each migration
/// that cannot be rolled back). Kinds raised together end the run the same way; the
/// first one's exit status is the error's.
public struct RunError: CruddurError, Equatable {
  public let kinds: [RunErrorKind]

  public init(_ kind: RunErrorKind) { self.kinds = [kind] }

  /// `kinds` must not be empty: an error with no reason is a bug at the call site.
  public init(_ kinds: [RunErrorKind]) {
    precondition(!kinds.isEmpty, "a RunError needs at least one kind")
    self.kinds = kinds
  }

  /// The first reason, the one a test usually matches.
  public var kind: RunErrorKind { kinds[0] }
  public var exitStatus: ExitStatus { kinds[0].exitStatus }
  public var diagnostics: [Diagnostic] { kinds.map(\.diagnostic) }
}
