import CruddurCore

/// A psql-like aligned table printed while the rows are still arriving.
///
/// The streaming format: column widths are fixed by the header and the first chunk of rows
/// (the first 1,000, as `Connection.stream` delivers them), and later rows are padded to
/// those widths; a later value wider than its column is printed whole and pushes the rest
/// of its line right, rather than the table waiting for the last row to know every width
/// (psql's own answer, FETCH_COUNT, likewise aligns each batch on its own). A result that
/// fits in one chunk prints exactly as psql prints it: header, rule, rows, `(N rows)`.
/// Names and values are escaped for the terminal (`String.terminalSafe`).
public struct RowTableStream: Sendable {
  let columns: RowColumns
  private var widths: [Int]?

  public init(columns: RowColumns) {
    self.columns = RowColumns(
      names: columns.names.map(RowTableRenderer.safe), numeric: columns.numeric, boolean: columns.boolean)
  }

  /// The text for the next chunk; the first call also prints the header and the rule.
  public mutating func rows(_ rows: [[String?]]) -> String {
    guard !columns.names.isEmpty else { return "" }
    var out = ""
    if widths == nil {
      var widths = columns.names.map(RowTableRenderer.width)
      for row in rows {
        for (i, value) in row.enumerated() where i < widths.count {
          widths[i] = max(widths[i], RowTableRenderer.width(value.map(RowTableRenderer.safe) ?? RowTableRenderer.null))
        }
      }
      self.widths = widths
      out += header(widths)
    }
    let widths = self.widths!
    out.reserveCapacity((widths.reduce(0, +) + 3 * widths.count) * rows.count)
    for row in rows {
      var line = ""
      for (i, value) in row.enumerated() where i < widths.count {
        let text = value.map(RowTableRenderer.safe) ?? RowTableRenderer.null
        if i > 0 { line += "|" }
        line += " "
        line += columns.numeric.contains(i) ? RowTableRenderer.padLeft(text, widths[i]) : RowTableRenderer.pad(text, widths[i])
        line += " "
      }
      while line.utf8.last == UInt8(ascii: " ") { line.removeLast() }
      out += line
      out += "\n"
    }
    return out
  }

  /// The end of the table: `(N rows)`, or the command tag of a command without rows. A
  /// result without any row still gets its header.
  public mutating func finish(count: Int, commandTag: String?) -> String {
    if columns.names.isEmpty { return (commandTag ?? "").terminalSafe + "\n" }
    let head = widths == nil ? rows([]) : ""
    return head + "(\(count) row\(count == 1 ? "" : "s"))\n"
  }

  private func header(_ widths: [Int]) -> String {
    columns.names.enumerated().map { " " + RowTableRenderer.center($0.element, widths[$0.offset]) + " " }.joined(separator: "|")
      + "\n" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "\n"
  }
}
