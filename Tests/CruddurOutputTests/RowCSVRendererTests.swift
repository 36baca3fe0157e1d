import CruddurCore
import CruddurOutput
import Testing

/// CSV as RFC 4180 and psql's `--csv` write it, streamed as header then chunks.
@Suite struct RowCSVRendererTests {
  @Test("fields with a comma, quote, CR or LF are quoted; NULL is empty, the empty string \"\"")
  func quoting() {
    #expect(
      RowCSVRenderer.rows([["a,b", "say \"hi\"", "cr\rlf\n", nil, "", "plain ü"]], columnCount: 6)
        == "\"a,b\",\"say \"\"hi\"\"\",\"cr\rlf\n\",,\"\",plain ü\r\n")
  }

  @Test("the header is quoted like a row; a short row is padded with empty fields; no columns, no text")
  func headerAndShapes() {
    #expect(RowCSVRenderer.header(["id", "a,b"]) == "id,\"a,b\"\r\n")
    #expect(RowCSVRenderer.header([]) == "")
    #expect(RowCSVRenderer.rows([["1"]], columnCount: 3) == "1,,\r\n")
    #expect(RowCSVRenderer.rows([["1"]], columnCount: 0) == "")
  }

  @Test("chunks streamed one after another join into one CSV")
  func streamedChunks() {
    let rows: [[String?]] = [["1", "x"], ["2", nil], ["3", "\"q\""]]
    let streamed =
      RowCSVRenderer.header(["n", "v"]) + RowCSVRenderer.rows(Array(rows[0..<2]), columnCount: 2)
      + RowCSVRenderer.rows(Array(rows[2...]), columnCount: 2)
    #expect(streamed == "n,v\r\n1,x\r\n2,\r\n3,\"\"\"q\"\"\"\r\n")
  }
}
