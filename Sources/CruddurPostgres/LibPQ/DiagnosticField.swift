internal import CLibPQ

/// libpq's `PG_DIAG_*` codes, which are character macros Swift cannot import; the shim
/// header re-exports them as constants.
enum DiagnosticField {
  static let severity = Int32(CRUDDUR_DIAG_SEVERITY)
  static let sqlState = Int32(CRUDDUR_DIAG_SQLSTATE)
  static let message = Int32(CRUDDUR_DIAG_MESSAGE_PRIMARY)
  static let detail = Int32(CRUDDUR_DIAG_MESSAGE_DETAIL)
  static let hint = Int32(CRUDDUR_DIAG_MESSAGE_HINT)
  static let position = Int32(CRUDDUR_DIAG_STATEMENT_POSITION)
  static let internalPosition = Int32(CRUDDUR_DIAG_INTERNAL_POSITION)
  static let internalQuery = Int32(CRUDDUR_DIAG_INTERNAL_QUERY)
  static let context = Int32(CRUDDUR_DIAG_CONTEXT)
}
