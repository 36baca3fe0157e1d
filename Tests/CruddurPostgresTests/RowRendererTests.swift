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
