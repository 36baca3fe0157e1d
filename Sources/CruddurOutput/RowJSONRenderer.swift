import CruddurCore

/// Rows as JSON lines: one object per row, keys in column order, NULL as `null`. Values
/// stay strings (the text the server sent), so nothing is lost to number conversion.
public enum RowJSONRenderer {
  public static func render(_ rows: RowSet) -> String {
    guard !rows.columns.isEmpty else { return "" }
    let keys = rows.columns.map(quote)
    var out = ""
    for row in rows.rows {
      out += "{"
      for (i, key) in keys.enumerated() {
        if i > 0 { out += "," }
        out += key + ":"
        if i < row.count, let value = row[i] { out += quote(value) } else { out += "null" }
      }
      out += "}\n"
    }
    return out
  }

  /// A JSON string literal (RFC 8259): quote, backslash and control characters escaped.
  static func quote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
