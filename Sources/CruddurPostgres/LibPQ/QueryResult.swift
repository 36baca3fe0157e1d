import CruddurCore
internal import CLibPQ

/// A finished result, read into Swift values so the `PGresult` can be freed at once.
public struct QueryResult: Sendable {
  public var columns: [String]
  public var rows: [[String?]]
  public var commandTag: String

  /// Rows not from one PGresult (a COPY's lines), all text.
  init(columns: [String], rows: [[String?]], commandTag: String) {
    self.columns = columns
    self.rows = rows
    self.commandTag = commandTag
    numericColumns = []
  }

  init(_ result: OpaquePointer) {
    let columnCount = Int(PQnfields(result))
    let rowCount = Int(PQntuples(result))
    columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
    numericColumns = Set(
      (0..<columnCount).filter { Self.numericTypes.contains(PQftype(result, Int32($0))) })
    var rows: [[String?]] = []
    rows.reserveCapacity(rowCount)
    for r in 0..<rowCount {
      var row: [String?] = []
      row.reserveCapacity(columnCount)
      for c in 0..<columnCount {
        if PQgetisnull(result, Int32(r), Int32(c)) == 1 {
          row.append(nil)
        } else {
          row.append(String(cString: PQgetvalue(result, Int32(r), Int32(c))))
        }
      }
      rows.append(row)
    }
    self.rows = rows
    commandTag = String(cString: PQcmdStatus(result))
  }

  /// Column positions whose type is a number (int2, int4, int8, oid, float4, float8, numeric).
  public var numericColumns: Set<Int>

  /// Type OIDs from the server's catalog (`pg_type`); these are fixed for built-in types.
  static let numericTypes: Set<UInt32> = [20, 21, 23, 26, 700, 701, 1700]
}
