/// A step or the run itself failed, for the reasons in `kinds`: usually one, several when
/// a check reports every problem it found (each SQL problem of a file, each migration
/// that cannot be rolled back). Kinds raised together end the run the same way; the
/// first one's exit status is the error's. A kind may be Core's (`RunErrorKind`) or an
/// executor module's; each module adds an `init` taking its own enum, so call sites stay
/// `RunError(.portTaken(...))`.
public struct RunError: CruddurError, Equatable {
  public let kinds: [any ErrorKind]

  public init(_ kind: RunErrorKind) { self.kinds = [kind] }

  /// `kinds` must not be empty: an error with no reason is a bug at the call site.
  public init(_ kinds: [RunErrorKind]) { self.init(kinds: kinds) }

  /// Kinds of any module; `kinds` must not be empty.
  public init(kinds: [any ErrorKind]) {
    precondition(!kinds.isEmpty, "a RunError needs at least one kind")
    self.kinds = kinds
  }

  /// The first reason, the one a test usually matches.
  public var kind: any ErrorKind { kinds[0] }
  public var exitStatus: ExitStatus { kinds[0].exitStatus }
  public var diagnostics: [Diagnostic] { kinds.map(\.diagnostic) }

  /// The first reason when it is of type `K`.
  public func kind<K: ErrorKind>(as _: K.Type) -> K? { kinds[0] as? K }

  /// Every reason, when all are of type `K`; nil when one is not (so a test matching them
  /// cannot miss a reason of another type).
  public func kinds<K: ErrorKind>(as _: K.Type) -> [K]? {
    let typed = kinds.compactMap { $0 as? K }
    return typed.count == kinds.count ? typed : nil
  }

  public static func == (lhs: RunError, rhs: RunError) -> Bool {
    lhs.kinds.count == rhs.kinds.count
      && zip(lhs.kinds, rhs.kinds).allSatisfy { $0.isEqual(to: $1) }
  }
}
