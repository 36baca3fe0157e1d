import CruddurCore

/// Rows as psql prints them: a header, a rule, right-padded columns, and a row count.
/// Values are escaped for the terminal: a text column may hold anything.
public enum RowTableRenderer {
  /// How NULL is shown, apart from an empty string.
  public static let null = "∅"

  public static func render(_ rows: RowSet) -> String {
    if rows.columns.isEmpty { return (rows.commandTag ?? "").terminalSafe + "\n" }
    var rows = rows
    rows.columns = rows.columns.map(\.terminalSafe)
    rows.rows = rows.rows.map { $0.map { $0?.terminalSafe } }
    var widths = rows.columns.map(width)
    for row in rows.rows {
      for (i, value) in row.enumerated() where i < widths.count {
        widths[i] = max(widths[i], width(value ?? null))
      }
    }
    var out = ""
    out.reserveCapacity((widths.reduce(0, +) + 3 * widths.count) * (rows.rows.count + 3))
    out += rows.columns.enumerated().map { " " + center($0.element, widths[$0.offset]) + " " }.joined(separator: "|")
    out += "\n" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "\n"
    for row in rows.rows {
      var cells: [String] = []
      for (i, value) in row.enumerated() where i < widths.count {
        let text = value ?? null
        cells.append(" " + (rows.numericColumns.contains(i) ? padLeft(text, widths[i]) : pad(text, widths[i])) + " ")
      }
      out += cells.joined(separator: "|")
      while out.hasSuffix(" ") { out.removeLast() }
      out += "\n"
    }
    out += "(\(rows.rows.count) row\(rows.rows.count == 1 ? "" : "s"))\n"
    return out
  }

  static func width(_ s: String) -> Int { s.count }

  static func pad(_ s: String, _ width: Int) -> String {
    s + String(repeating: " ", count: max(0, width - self.width(s)))
  }

  static func padLeft(_ s: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - self.width(s))) + s
  }

  static func center(_ s: String, _ width: Int) -> String {
    let total = max(0, width - self.width(s))
    let left = total / 2
    return String(repeating: " ", count: left) + s + String(repeating: " ", count: total - left)
  }
}
