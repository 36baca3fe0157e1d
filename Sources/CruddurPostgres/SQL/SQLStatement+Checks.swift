import CruddurCore

/// Statement-level rules of the `sql` executor, checked when the file is read (at decode
/// time for small files, while loading for large ones).
extension SQLStatement {
  /// Why this statement cannot run as the file is configured, with the fix.
  func problem(inTransaction: Bool) -> PostgresConfigErrorKind? {
    if inTransaction && mustRunOutsideTransaction { return .mustRunOutsideTransaction(statement: leadingWords) }
    if inTransaction && changesTransactionBlock { return .transactionControlInTransaction(keyword: transactionKeyword) }
    if settingChange == StatementClassifier.clientEncoding && !setsUTF8 { return .unsupportedClientEncoding }
    return nil
  }

  /// "BEGIN", "COMMIT", "START TRANSACTION": the statement's keyword for messages.
  private var transactionKeyword: String {
    let words = text.split(whereSeparator: { $0.isWhitespace || $0 == ";" }).map { $0.uppercased() }
    guard let first = words.first else { return "" }
    return (first == "START" || first == "PREPARE") && words.count > 1 ? first + " " + words[1] : first
  }

  /// The first words, for messages ("CREATE DATABASE").
  var leadingWords: String {
    text.split(whereSeparator: { $0.isWhitespace || $0 == "(" }).prefix(3).joined(separator: " ")
      .uppercased()
  }

  /// The reader cannot decode other encodings; RESET returns to the connection's UTF8.
  private var setsUTF8: Bool {
    let lower = text.lowercased()
    return lower.hasPrefix("reset") || lower.contains("utf8") || lower.contains("utf-8")
      || lower.contains("unicode") || lower.contains("default")
  }

  /// The 1-based line where COPY data starts: the line after the one with the semicolon.
  var copyDataFirstLine: Int {
    line + text.utf8.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 } + 1
  }
}
