/// JSON text written by hand where JSONSerialization costs more than the data (a
/// `step_row` per row): string literals and a result's keys, quoted once per result.
enum JSONString {
  /// Column names as JSON string literals, quoted once per result rather than per row.
  static func keys(_ columns: [String]) -> [String] { columns.map(quote) }

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
