import CruddurCore

/// How `query` rows are printed (`--format`).
public enum RowFormat: String, Sendable, CaseIterable {
  case table, json, csv
}

/// Renders a whole `RowSet` in the chosen format (a run streams them: `RowStream`).
public enum RowRenderer {
  public static func render(_ rows: RowSet, as format: RowFormat) -> String {
    switch format {
    case .table: RowTableRenderer.render(rows)
    case .json: RowJSONRenderer.render(rows)
    case .csv: RowCSVRenderer.render(rows)
    }
  }
}
