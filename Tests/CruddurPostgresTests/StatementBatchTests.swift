import Testing

@testable import CruddurPostgres

@Suite struct StatementBatchTests {
  static let file = SQLScriptCursor.File(path: "/p/a.sql", displayPath: "a.sql")

  static func batch(_ script: String) throws -> StatementBatch {
    var batch = StatementBatch()
    for statement in try statements(script) { batch.append(statement, from: file) }
    return batch
  }

  @Test("a server position (characters of the whole message) maps to the statement's file line and column")
  func positionMapping() throws {
    let batch = try Self.batch("select 1;\n  select 'ü', 2;\nselect\n  x;\n")
    let message = String(decoding: batch.message, as: UTF8.self)
    #expect(message == "select 1;\nselect 'ü', 2;\nselect\n  x;\n")
    // "x" is character 35 of the message: 10 + 15 + 7 + 3.
    let x = try #require(batch.locate(position: 35, resultIndex: 0))
    #expect(x.line == 4 && x.column == 3)
    // "2" after the non-ASCII letter: counted in characters, not bytes.
    let two = try #require(batch.locate(position: 23, resultIndex: 0))
    #expect(two.line == 2 && two.column == 15)
  }

  @Test("without a position the result index names the statement")
  func resultIndex() throws {
    let batch = try Self.batch("select 1; select 2;\n\n   select 3;")
    let third = try #require(batch.locate(position: nil, resultIndex: 2))
    #expect(third.line == 3 && third.column == 4)
  }

  @Test("a statement ending in a line comment gets its semicolon on a new line")
  func trailingComment() throws {
    let batch = try Self.batch("select 1 -- one\n")
    #expect(String(decoding: batch.message, as: UTF8.self) == "select 1 -- one\n;\n")
  }

  @Test("a batch is full at 1,000 statements")
  func cap() throws {
    let batch = try Self.batch(String(repeating: "select 1;\n", count: 1_000))
    #expect(batch.isFull)
    #expect(try !Self.batch(String(repeating: "select 1;\n", count: 999)).isFull)
  }

  @Test("the COPY row named in CONTEXT is found")
  func copyContext() {
    #expect(SQLLoader.copyRow(in: "COPY t, line 3, column id: \"three\"") == 3)
    #expect(SQLLoader.copyRow(in: "COPY t, line 12") == 12)
    #expect(SQLLoader.copyRow(in: "SQL function") == nil)
  }
}
