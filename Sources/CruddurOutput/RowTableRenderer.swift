import CruddurCore

/// Rows as psql prints them: a header, a rule, right-padded columns, and a row count.
public enum RowTableRenderer {
  /// How NULL is shown, apart from an empty string.
  public static let null = "∅"

  /// A whole result: one chunk of a `RowTableStream`, so every row sets the widths.
  public static func render(_ rows: RowSet) -> String {
    var stream = RowTableStream(columns: RowColumns(names: rows.columns, numeric: rows.numericColumns))
    return stream.rows(rows.rows) + stream.finish(count: rows.rows.count, commandTag: rows.commandTag)
  }

  static func width(_ s: String) -> Int { s.count }

  static func pad(_ s: String, _ width: Int) -> String {
    let missing = width - self.width(s)
    return missing > 0 ? s + String(repeating: " ", count: missing) : s
  }

  static func padLeft(_ s: String, _ width: Int) -> String {
    let missing = width - self.width(s)
    return missing > 0 ? String(repeating: " ", count: missing) + s : s
  }

  static func center(_ s: String, _ width: Int) -> String {
    let total = max(0, width - self.width(s))
    let left = total / 2
    return String(repeating: " ", count: left) + s + String(repeating: " ", count: total - left)
  }
}
