import CruddurCore

/// An error the server sent, with every field libpq gives (SQLSTATE, detail, hint,
/// position, context). `description` is generic so a secret cannot leak through it.
public struct ServerError: CruddurError, CustomStringConvertible {
  public var severity: String
  public var sqlState: String
  public var message: String
  public var detail: String?
  public var hint: String?
  /// 1-based, in characters of the text sent.
  public var position: Int?
  public var context: String?
  /// Where in a file the failing statement sits, when known.
  public var location: SourceLocation?

  public var exitStatus: ExitStatus { .stepFailed }

  public var description: String { "\(message) [SQLSTATE \(sqlState)]" }

  public var diagnostics: [Diagnostic] {
    var notes: [Diagnostic.Note] = []
    if let detail { notes.append(.init("detail: \(Redaction.redact(detail))")) }
    if let context { notes.append(.init("context: \(Redaction.redact(context))")) }
    var diagnostic = Diagnostic.error(
      "\(Redaction.redact(message))  [SQLSTATE \(sqlState)]", at: location, notes: notes,
      help: hint.map(Redaction.redact))
    diagnostic.code = sqlState
    diagnostic.detail = detail.map(Redaction.redact)
    return [diagnostic]
  }
}

/// libpq could not connect or lost the connection.
public struct ConnectionError: CruddurError {
  public var message: String
  public var target: String
  public var help: String?
  public var exitStatus: ExitStatus { .stepFailed }
  public var diagnostics: [Diagnostic] {
    [.error("cannot connect to \(target): \(Redaction.redact(message))", help: help)]
  }
}
