import CruddurCore

/// How a run's console prints query rows (`--format`); JSON rows are `step_row` events,
/// written by `JSONLinesRenderer`.
public enum RowFormat: String, Sendable {
  case table, csv
}

/// One query result being printed in the chosen format as its chunks arrive.
public struct RowStream: Sendable {
  let format: RowFormat
  private var table: RowTableStream
  private let columnCount: Int

  public init(columns: RowColumns, format: RowFormat) {
    self.format = format
    table = RowTableStream(columns: columns)
    columnCount = columns.names.count
  }

  /// What comes before the first row (the CSV header; a table waits for its first chunk).
  public func start(_ columns: RowColumns) -> String {
    format == .csv ? RowCSVRenderer.header(columns.names) : ""
  }

  public mutating func rows(_ rows: [[String?]]) -> String {
    switch format {
    case .table: table.rows(rows)
    case .csv: RowCSVRenderer.rows(rows, columnCount: columnCount)
    }
  }

  public mutating func finish(count: Int, commandTag: String?) -> String {
    format == .table ? table.finish(count: count, commandTag: commandTag) : ""
  }
}
