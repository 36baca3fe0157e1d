import CruddurCore

/// Rules for SQL written inline in the YAML (`query:`, `unless: { sql: }`), which is sent
/// as one statement with no data after it.
public enum QueryTextRules {
  /// What is wrong with `sql` written under `key`, or nil.
  public static func problem(in sql: String, key: String) -> PostgresConfigErrorKind? {
    readsCopyData(sql) ? .copyFromStdinWithoutData(key: key) : nil
  }

  /// `COPY … FROM STDIN`: the server would wait for data the YAML cannot carry. Comments
  /// before the statement are skipped as the server skips them.
  static func readsCopyData(_ sql: String) -> Bool {
    var text = Substring(sql)
    while true {
      text = text.drop { $0.isWhitespace }
      if text.hasPrefix("--") {
        text = text.drop { !$0.isNewline }
      } else if text.hasPrefix("/*") {
        guard let end = closingComment(text) else { return false }
        text = text[end...]
      } else {
        break
      }
    }
    var bytes = Array(text.utf8)
    return bytes.withUnsafeMutableBufferPointer {
      StatementClassifier.classify(UnsafeBufferPointer($0), standardConformingStrings: true)
        .isCopyFromStdin
    }
  }

  /// Just past the `*/` that closes the comment `text` starts with; comments nest in SQL.
  private static func closingComment(_ text: Substring) -> Substring.Index? {
    var depth = 0
    var index = text.startIndex
    while index < text.endIndex {
      let rest = text[index...]
      if rest.hasPrefix("/*") {
        depth += 1
        index = text.index(index, offsetBy: 2)
      } else if rest.hasPrefix("*/") {
        depth -= 1
        index = text.index(index, offsetBy: 2)
        if depth == 0 { return index }
      } else {
        index = text.index(after: index)
      }
    }
    return nil
  }
}
