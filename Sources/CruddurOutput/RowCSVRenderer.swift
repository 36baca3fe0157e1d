import CruddurCore

/// Rows as CSV (RFC 4180: CRLF line ends, a header row, fields with a comma, quote or line
/// break quoted with quotes doubled). NULL is an empty unquoted field and the empty string
/// is `""`, so the two stay apart, as in psql's `--csv` and `COPY ... CSV`.
public enum RowCSVRenderer {
  public static func render(_ rows: RowSet) -> String {
    guard !rows.columns.isEmpty else { return "" }
    var out = rows.columns.map { field($0) }.joined(separator: ",") + "\r\n"
    for row in rows.rows {
      out += (0..<rows.columns.count).map { i in i < row.count ? field(row[i]) : "" }.joined(separator: ",")
      out += "\r\n"
    }
    return out
  }

  static func field(_ value: String?) -> String {
    guard let value else { return "" }
    let needsQuotes =
      value.isEmpty
      || value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
    guard needsQuotes else { return value }
    var quoted = "\""
    for character in value {
      if character == "\"" { quoted += "\"" }
      quoted.append(character)
    }
    return quoted + "\""
  }
}
