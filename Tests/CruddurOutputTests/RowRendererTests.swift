import CruddurCore
import CruddurOutput
import Testing

@Suite struct RowRendererTests {
  static let rows = RowSet(
    columns: ["id", "name", "note"],
    rows: [["1", "a,b", nil], ["2", "say \"hi\"\nbye", ""], ["3", "ü\t", "x"]])

  @Test("JSON: one object per row, keys in column order, NULL as null")
  func json() {
    #expect(
      RowRenderer.render(Self.rows, as: .json) == """
        {"id":"1","name":"a,b","note":null}
        {"id":"2","name":"say \\"hi\\"\\nbye","note":""}
        {"id":"3","name":"ü\\t","note":"x"}

        """)
  }

  @Test("CSV: RFC 4180 quoting, NULL empty and unquoted, empty string as \"\"")
  func csv() {
    #expect(
      RowRenderer.render(Self.rows, as: .csv)
        == "id,name,note\r\n1,\"a,b\",\r\n2,\"say \"\"hi\"\"\nbye\",\"\"\r\n3,ü\t,x\r\n")
  }

  @Test("a command without rows prints nothing as JSON or CSV")
  func noColumns() {
    let tag = RowSet(columns: [], rows: [], commandTag: "INSERT 0 1")
    #expect(RowRenderer.render(tag, as: .json) == "")
    #expect(RowRenderer.render(tag, as: .csv) == "")
    #expect(RowRenderer.render(tag, as: .table) == "INSERT 0 1\n")
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

  @Test("one chunk prints what the whole-result renderer prints")
  func oneChunkIsTheWholeTable() {
    let rows: [[String?]] = [["1", "a"], ["10", "bbb"]]
    var stream = RowTableStream(columns: Self.columns)
    #expect(
      stream.rows(rows) + stream.finish(count: 2, commandTag: nil)
        == RowRenderer.render(RowSet(columns: ["id", "name"], rows: rows, numericColumns: [0]), as: .table))
  }
}
