internal import CLibPQ

/// libpq's `PG_DIAG_*` codes, which are character macros Swift cannot import; the shim
/// header re-exports them as constants.
enum DiagnosticField {
  /// Localised ("ERROR", "FEHLER"): for people.
  static let severity = Int32(CRUDDUR_DIAG_SEVERITY)
  /// Never translated (servers 9.6 and later): for code.
  static let severityNonLocalized = Int32(CRUDDUR_DIAG_SEVERITY_NONLOCALIZED)
  static let sqlState = Int32(CRUDDUR_DIAG_SQLSTATE)
  static let message = Int32(CRUDDUR_DIAG_MESSAGE_PRIMARY)
  static let detail = Int32(CRUDDUR_DIAG_MESSAGE_DETAIL)
  static let hint = Int32(CRUDDUR_DIAG_MESSAGE_HINT)
  static let position = Int32(CRUDDUR_DIAG_STATEMENT_POSITION)
  static let internalPosition = Int32(CRUDDUR_DIAG_INTERNAL_POSITION)
  static let internalQuery = Int32(CRUDDUR_DIAG_INTERNAL_QUERY)
  static let context = Int32(CRUDDUR_DIAG_CONTEXT)
  static let schemaName = Int32(CRUDDUR_DIAG_SCHEMA_NAME)
  static let tableName = Int32(CRUDDUR_DIAG_TABLE_NAME)
  static let columnName = Int32(CRUDDUR_DIAG_COLUMN_NAME)
  static let dataTypeName = Int32(CRUDDUR_DIAG_DATATYPE_NAME)
  static let constraintName = Int32(CRUDDUR_DIAG_CONSTRAINT_NAME)
  static let sourceFile = Int32(CRUDDUR_DIAG_SOURCE_FILE)
  static let sourceLine = Int32(CRUDDUR_DIAG_SOURCE_LINE)
  static let sourceFunction = Int32(CRUDDUR_DIAG_SOURCE_FUNCTION)
}
