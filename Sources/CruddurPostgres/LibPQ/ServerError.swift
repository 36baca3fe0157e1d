import CruddurCore

/// An error the server sent, with every field libpq gives (`PQresultErrorField`), each
/// nil when the server did not send it: nothing is invented, not even an SQLSTATE.
/// `description` is generic ("server error 42601"), so interpolating the error cannot leak
/// a secret quoted in the message; `debugDescription` and `diagnostics` show the fields,
/// masked by `Redaction`.
public struct ServerError: CruddurError, CustomStringConvertible, CustomDebugStringConvertible {
  /// Localised ("ERROR", "FEHLER"), for people.
  public var severity: String?
  /// Never translated ("ERROR", "FATAL"), for code; servers before 9.6 do not send it.
  public var severityNonLocalized: String?
  public var sqlState: SQLState?
  /// The primary message, the one field every server error has.
  public var message: String
  public var detail: String?
  public var hint: String?
  /// Where in the statement sent the error is: 1-based, in characters, not bytes.
  public var position: Int?
  /// Like `position`, but in `internalQuery`: a statement the server made up (a PL/pgSQL
  /// function's query), not one cruddur sent.
  public var internalPosition: Int?
  public var internalQuery: String?
  /// The call stack, innermost first: a PL/pgSQL function's line, a COPY's input line.
  public var context: String?
  public var schemaName: String?
  public var tableName: String?
  public var columnName: String?
  public var dataTypeName: String?
  public var constraintName: String?
  /// The server's own C source that raised the error (`nbtinsert.c`, 666, `_bt_check_unique`).
  public var serverSourceFile: String?
  public var serverSourceLine: Int?
  public var serverSourceFunction: String?
  /// Where in a file the failing statement sits, when known.
  public var location: SourceLocation?

  public init(message: String) { self.message = message }

  /// Reads every field through `field`, a `PQresultErrorField` for one result; nil when
  /// there is no primary message (libpq's own failures, such as a lost connection, carry
  /// only its error text, which `ConnectionError` reports).
  init?(field: (Int32) -> String?) {
    guard let message = field(DiagnosticField.message) else { return nil }
    self.init(message: message)
    severity = field(DiagnosticField.severity)
    severityNonLocalized = field(DiagnosticField.severityNonLocalized)
    sqlState = field(DiagnosticField.sqlState).flatMap(SQLState.init)
    detail = field(DiagnosticField.detail)
    hint = field(DiagnosticField.hint)
    position = field(DiagnosticField.position).flatMap { Int($0) }
    internalPosition = field(DiagnosticField.internalPosition).flatMap { Int($0) }
    internalQuery = field(DiagnosticField.internalQuery)
    context = field(DiagnosticField.context)
    schemaName = field(DiagnosticField.schemaName)
    tableName = field(DiagnosticField.tableName)
    columnName = field(DiagnosticField.columnName)
    dataTypeName = field(DiagnosticField.dataTypeName)
    constraintName = field(DiagnosticField.constraintName)
    serverSourceFile = field(DiagnosticField.sourceFile)
    serverSourceLine = field(DiagnosticField.sourceLine).flatMap { Int($0) }
    serverSourceFunction = field(DiagnosticField.sourceFunction)
  }

  public var exitStatus: ExitStatus { .stepFailed }

  /// The objects the error names, for `Diagnostic.objectNames`; nil when it names none.
  public var objectNames: DatabaseObjectNames? {
    let names = DatabaseObjectNames(
      schema: schemaName.map(Redaction.redact), table: tableName.map(Redaction.redact),
      column: columnName.map(Redaction.redact), dataType: dataTypeName.map(Redaction.redact),
      constraint: constraintName.map(Redaction.redact))
    return names.isEmpty ? nil : names
  }

  public var description: String { "server error" + (sqlState.map { " \($0)" } ?? "") }

  /// Every field the server sent, masked; for logs and test failures, not for users.
  public var debugDescription: String {
    let fields: [(String, String?)] = [
      ("severity", severity), ("severityNonLocalized", severityNonLocalized), ("sqlState", sqlState?.code),
      ("message", message), ("detail", detail), ("hint", hint), ("position", position.map(String.init)),
      ("internalPosition", internalPosition.map(String.init)), ("internalQuery", internalQuery),
      ("context", context), ("schemaName", schemaName), ("tableName", tableName), ("columnName", columnName),
      ("dataTypeName", dataTypeName), ("constraintName", constraintName), ("serverSourceFile", serverSourceFile),
      ("serverSourceLine", serverSourceLine.map(String.init)), ("serverSourceFunction", serverSourceFunction),
      ("location", location?.description),
    ]
    let shown = fields.compactMap { name, value in value.map { "\(name): \(String(reflecting: Redaction.redact($0)))" } }
    return "ServerError(" + shown.joined(separator: ", ") + ")"
  }

  public var diagnostics: [Diagnostic] {
    var notes: [Diagnostic.Note] = []
    if let detail { notes.append(.init("detail: \(Redaction.redact(detail))")) }
    // As psql shows it: the statement the server made up, with the caret's place in it,
    // since `location` can only point at the statement that called it.
    if let internalQuery {
      let at = internalPosition.map { " (at character \($0))" } ?? ""
      notes.append(.init("query\(at): \(Redaction.redact(internalQuery))"))
    }
    if let context { notes.append(.init("context: \(Redaction.redact(context))")) }
    let code = sqlState.map { "  [SQLSTATE \($0)]" } ?? ""
    var diagnostic = Diagnostic.error(
      "\(Redaction.redact(message))\(code)", at: location, notes: notes, help: hint.map(Redaction.redact))
    diagnostic.code = sqlState?.code
    diagnostic.detail = detail.map(Redaction.redact)
    diagnostic.objectNames = objectNames
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
    var diagnostic = Diagnostic.error("cannot connect to \(target): \(Redaction.redact(message))", help: help)
    // libpq gives no result for a failed connection, only the server's words: these are
    // the ones PostgreSQL sends with SQLSTATE 28P01 (invalid_password).
    if message.contains("password authentication failed") { diagnostic.code = "28P01" }
    return [diagnostic]
  }
}
