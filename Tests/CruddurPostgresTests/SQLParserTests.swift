import Testing

@testable import CruddurPostgres

@Suite struct SQLParserTests {
  @Test("a statement comes back as PostgreSQL's own tree, with its place in the text")
  func parsesStatements() throws {
    let statements = try SQLParser.parse("select 1; delete from s.t where id = 2").get()
    #expect(statements.count == 2)
    #expect(statements[0].node.nodeType == "SelectStmt")
    #expect(statements[0].location == 0 && statements[0].length == 8)
    let delete = try #require(statements[1].node["DeleteStmt"])
    #expect(delete["relation"]?["schemaname"]?.stringValue == "s")
    #expect(delete["relation"]?["relname"]?.stringValue == "t")
    #expect(delete["whereClause"]?.nodeType == "A_Expr")
    #expect(statements[1].location == 9)
  }

  @Test("a CTE's DELETE is a node of the tree, whatever hides it from a scanner")
  func nestedStatements() throws {
    let text =
      "WITH /* delete */ d AS (DELETE FROM t RETURNING 1) SELECT $$delete$$, count(*) FROM d"
    let statement = try #require(try SQLParser.parse(text).get().first)
    var found: [String] = []
    statement.node.walk { node in
      if let type = node.nodeType, type.hasSuffix("Stmt") { found.append(type) }
      return true
    }
    #expect(found.sorted() == ["DeleteStmt", "SelectStmt"])
  }

  @Test("strings keep their escapes: quotes, backslashes, control characters and non-ASCII")
  func decodesStrings() throws {
    let text = "select 'a\"b\\c\u{1}é🐘'"
    let statement = try #require(try SQLParser.parse(text).get().first)
    var values: [String] = []
    statement.node.walk { node in
      if let value = node["sval"]?.stringValue { values.append(value) }
      return true
    }
    #expect(values == ["a\"b\\c\u{1}é🐘"])
  }

  @Test("syntax the PostgreSQL 15 grammar rejects is an error value with its position, not an exit")
  func syntaxErrorIsAValue() {
    let result = SQLParser.parse("select 1;\nmergex into t")
    guard case .failure(let error) = result else {
      Issue.record("parsed: \(result)")
      return
    }
    #expect(error.kind == .syntax)
    #expect(error.message == "syntax error at or near \"mergex\"")
    #expect(error.position == 11)
    // Syntax newer than 15 (JSON_TABLE is 17's) is an error too, never an empty tree.
    #expect(
      (try? SQLParser.parse("select * from json_table('[]', '$' columns (a int path '$'))").get())
        == nil)
  }

  @Test("a DO block's and a PL/pgSQL function's statements come back with their kinds")
  func parsesPLpgSQL() throws {
    let functions = try SQLParser.parsePLpgSQL(
      "DO $$ BEGIN EXECUTE 'drop table t'; DELETE FROM u; END $$"
    ).get()
    let body = try #require(
      functions.first?["PLpgSQL_function"]?["action"]?["PLpgSQL_stmt_block"]?["body"])
    #expect(
      body.elements.map { $0.nodeType } == [
        "PLpgSQL_stmt_dynexecute", "PLpgSQL_stmt_execsql", "PLpgSQL_stmt_return",
      ])
    #expect(
      body.elements[1]["PLpgSQL_stmt_execsql"]?["sqlstmt"]?["PLpgSQL_expr"]?["query"]?.stringValue
        == "DELETE FROM u")
    let broken = SQLParser.parsePLpgSQL("DO $$ BEGIN DELETE FROM; END $$")
    #expect((try? broken.get()) == nil)
  }
}
