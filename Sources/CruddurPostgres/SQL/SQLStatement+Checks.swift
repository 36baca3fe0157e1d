/// Statement-level rules of the `sql` executor, checked when the file is read (at decode
/// time for small files, while loading for large ones).
extension SQLStatement {
  /// Why this statement cannot run as the file is configured, with the fix.
  func problem(inTransaction: Bool) -> (message: String, help: String)? {
    if inTransaction && mustRunOutsideTransaction {
      return (
        "`\(leadingWords)` cannot run inside a transaction block, and this file runs in one",
        "add `transaction: false` to the task to run the file statement by statement, like `psql -f`"
      )
    }
    if inTransaction && changesTransactionBlock {
      // A COMMIT here would commit what came before it and leave the rest to run outside
      // the file's transaction, so a later failure could no longer undo the whole file.
      return (
        "`\(transactionKeyword)` cannot run in this file: it already runs in one transaction",
        "use `transaction: false` to run the file statement by statement with its own transactions, like `psql -f`, or remove the statement"
      )
    }
    if settingChange == StatementClassifier.clientEncoding && !setsUTF8 {
      return (
        "only UTF8 is supported as client_encoding",
        "convert the file to UTF-8 (iconv) and remove the encoding change"
      )
    }
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
