import CruddurCore

/// Rows as CSV (RFC 4180: CRLF line ends, a header row, fields with a comma, quote or line
/// break quoted with quotes doubled). NULL is an empty unquoted field and the empty string
/// is `""`, so the two stay apart, as in psql's `--csv` and `COPY ... CSV`. Streamed: the
/// header when the columns are known, then each chunk of rows as it arrives.
public enum RowCSVRenderer {
  /// The header line; nothing for a command without columns.
  public static func header(_ columns: [String]) -> String {
    columns.isEmpty ? "" : columns.map { field($0) }.joined(separator: ",") + "\r\n"
  }

  public static func rows(_ rows: [[String?]], columnCount: Int) -> String {
    guard columnCount > 0 else { return "" }
    var out = ""
    for row in rows {
      for i in 0..<columnCount {
        if i > 0 { out += "," }
        if i < row.count { out += field(row[i]) }
      }
      out += "\r\n"
    }
    return out
  }

  static func field(_ value: String?) -> String {
    guard let value else { return "" }
    let needsQuotes =
      value.isEmpty
      || value.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
    guard needsQuotes else { return value }
    var quoted = "\""
    for character in value {
      if character == "\"" { quoted += "\"" }
      quoted.append(character)
    }
    return quoted + "\""
  }
}
