import CruddurCore

/// Rows as JSON lines: one object per row, keys in column order, NULL as `null`. Values
/// stay strings (the text the server sent), so nothing is lost to number conversion.
public enum RowJSONRenderer {
  public static func render(_ rows: RowSet) -> String {
    self.rows(rows.rows, keys: keys(rows.columns))
  }

  /// Column names as JSON string literals, quoted once per result rather than per row.
  public static func keys(_ columns: [String]) -> [String] { columns.map(quote) }

  public static func rows(_ rows: [[String?]], keys: [String]) -> String {
    guard !keys.isEmpty else { return "" }
    var out = ""
    for row in rows {
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
    // Most values need no escape: copy them whole instead of scalar by scalar.
    if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
      return "\"" + text + "\""
    }
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
