/// One finding: what is wrong, where, and what might fix it.
public struct Diagnostic: Sendable, Hashable, Codable {
  public enum Severity: String, Sendable, Codable { case error, warning, note }

  /// A secondary place worth showing (the other definition, an edge of a cycle).
  public struct Note: Sendable, Hashable, Codable {
    public var message: String
    public var location: SourceLocation?
    public init(_ message: String, at location: SourceLocation? = nil) {
      self.message = message
      self.location = location
    }
  }

  public var severity: Severity
  public var message: String
  public var location: SourceLocation?
  /// Shown after the caret on the source line, e.g. "did you mean `description`?".
  public var label: String?
  public var notes: [Note]
  public var help: String?
  /// The line at `location` may hold a secret cruddur cannot locate in it (a URL it could
  /// not read): the place is shown, the line is not.
  public var hidesSourceLine = false
  /// A machine-readable code (a server error's SQLSTATE), kept as a field so no one has to
  /// parse it back out of the message.
  public var code: String? = nil
  /// The server's DETAIL, as a field for machines (people see it as a note).
  public var detail: String? = nil
  /// The objects a server error names (table, constraint...), as fields for machines.
  public var objectNames: DatabaseObjectNames? = nil
  /// Why, as data, when the diagnostic was made from a configuration kind (Core's
  /// `ConfigErrorKind` or an executor module's): tests (and machines) match it instead of
  /// the words. Not encoded: a kind of another module could not be decoded here.
  public var errorKind: (any ErrorKind)? {
    get { kindBox?.kind }
    set { kindBox = newValue.map(ErrorKindBox.init) }
  }
  private var kindBox: ErrorKindBox? = nil

  /// `errorKind` when it is one of Core's configuration kinds.
  public var kind: ConfigErrorKind? { errorKind as? ConfigErrorKind }

  /// `errorKind` when it is of type `K` (an executor module's kind).
  public func kind<K: ErrorKind>(as _: K.Type) -> K? { errorKind as? K }

  private enum CodingKeys: String, CodingKey {
    case severity, message, location, label, notes, help, hidesSourceLine, code, detail, objectNames
  }

  public init(
    _ severity: Severity = .error, _ message: String, at location: SourceLocation? = nil,
    label: String? = nil, notes: [Note] = [], help: String? = nil
  ) {
    self.severity = severity
    self.message = message
    self.location = location
    self.label = label
    self.notes = notes
    self.help = help
  }

  public static func error(
    _ message: String, at location: SourceLocation? = nil, label: String? = nil,
    notes: [Note] = [], help: String? = nil
  ) -> Diagnostic {
    Diagnostic(.error, message, at: location, label: label, notes: notes, help: help)
  }
}
