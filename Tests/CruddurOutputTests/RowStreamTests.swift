import CruddurCore
import CruddurOutput
import Testing

/// What the console prints for a result, through `RowStream` as a run does.
@Suite struct RowStreamTests {
  static let columns = RowColumns(names: ["id", "name", "note"])
  static let rows: [[String?]] = [["1", "a,b", nil], ["2", "say \"hi\"\nbye", ""], ["3", "ü\t", "x"]]

  static func printed(_ format: RowFormat, columns: RowColumns = columns, rows: [[String?]] = rows, tag: String? = nil)
    -> String
  {
    var stream = RowStream(columns: columns, format: format)
    return stream.start(columns) + stream.rows(rows) + stream.finish(count: rows.count, commandTag: tag)
  }

  @Test("CSV: RFC 4180 quoting, NULL empty and unquoted, empty string as \"\"")
  func csv() {
    #expect(
      Self.printed(.csv) == "id,name,note\r\n1,\"a,b\",\r\n2,\"say \"\"hi\"\"\nbye\",\"\"\r\n3,ü\t,x\r\n")
  }

  @Test("a command without rows prints nothing as CSV, its tag as a table")
  func noColumns() {
    let none = RowColumns(names: [])
    #expect(Self.printed(.csv, columns: none, rows: [], tag: "INSERT 0 1") == "")
    #expect(Self.printed(.table, columns: none, rows: [], tag: "INSERT 0 1") == "INSERT 0 1\n")
  }
}

@Suite struct RowTableStreamTests {
  static let columns = RowColumns(names: ["id", "name"], numeric: [0])

  @Test("widths come from the header and the first chunk; later rows are padded to them or overflow")
  func widthsFromFirstChunk() {
    var stream = RowTableStream(columns: Self.columns)
    let first = stream.rows([["1", "ab"], ["22", nil]])
    #expect(first == " id | name \n----+------\n  1 | ab\n 22 | ∅\n")
    #expect(stream.rows([["3", "a"], ["4444", "longer name"]]) == "  3 | a\n 4444 | longer name\n")
    #expect(stream.finish(count: 4, commandTag: "SELECT 4") == "(4 rows)\n")
  }

  @Test("a result without rows still prints its header; a command without columns its tag")
  func empty() {
    var stream = RowTableStream(columns: Self.columns)
    #expect(stream.finish(count: 0, commandTag: "SELECT 0") == " id | name \n----+------\n(0 rows)\n")
    var command = RowTableStream(columns: RowColumns(names: []))
    #expect(command.rows([]) == "")
    #expect(command.finish(count: 0, commandTag: "INSERT 0 1") == "INSERT 0 1\n")
  }

  @Test("one chunk sets the widths from every row in it")
  func oneChunkIsTheWholeTable() {
    var stream = RowTableStream(columns: Self.columns)
    #expect(
      stream.rows([["1", "a"], ["10", "bbb"]]) + stream.finish(count: 2, commandTag: nil)
        == " id | name \n----+------\n  1 | a\n 10 | bbb\n(2 rows)\n")
  }
}
