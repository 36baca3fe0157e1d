import Testing

@testable import CruddurPostgres

/// "Must it run outside a transaction block?" from PostgreSQL's parse tree, through the
/// reader (its tokens pick the candidates, the tree decides).
@Suite struct TransactionBlockRuleTests {
  static func outside(_ sql: String) throws -> Bool? {
    let reader = SQLScriptReader(bytes: Array((sql + ";").utf8))
    guard case .statement(let statement) = try reader.next() else { return nil }
    return statement.mustRunOutsideTransaction
  }

  static func tree(_ sql: String) -> Bool? {
    TransactionBlockRule.mustRunOutside(sql)
  }

  @Test(
    "the tree says outside for what PostgreSQL 15 refuses in a block",
    arguments: [
      "CREATE DATABASE x", "DROP DATABASE IF EXISTS x", "VACUUM", "vacuum (analyze) t", "VACUUM FULL t",
      "CREATE INDEX CONCURRENTLY i ON t (a)", "CREATE UNIQUE INDEX CONCURRENTLY i ON t (a)",
      "DROP INDEX CONCURRENTLY i", "REINDEX TABLE CONCURRENTLY t", "REINDEX (CONCURRENTLY) TABLE t",
      "REINDEX (CONCURRENTLY true) TABLE t", "REINDEX (VERBOSE) DATABASE d", "REINDEX SCHEMA s", "REINDEX SYSTEM d",
      "ALTER SYSTEM SET work_mem = '1MB'", "CREATE TABLESPACE ts LOCATION '/x'", "DROP TABLESPACE ts",
      "CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p", "DROP SUBSCRIPTION s",
      "ALTER SUBSCRIPTION s REFRESH PUBLICATION", "ALTER SUBSCRIPTION s SET PUBLICATION p",
      "ALTER DATABASE d SET TABLESPACE ts", "ALTER TABLE t DETACH PARTITION p CONCURRENTLY", "CLUSTER",
      "CLUSTER VERBOSE", "DISCARD ALL", "COMMIT PREPARED 'x'", "ROLLBACK PREPARED 'x'",
    ])
  func outside(_ sql: String) throws {
    #expect(Self.tree(sql) == true)
    #expect(try Self.outside(sql) == true)
  }

  @Test(
    "the tree says inside for their look-alikes",
    arguments: [
      "CREATE INDEX i ON t (a)", "CREATE INDEX concurrently_i ON t (a)", "DROP INDEX i", "REINDEX TABLE t",
      "ANALYZE t", "CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p WITH (connect = false, slot_name = 's')",
      "CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p WITH (create_slot = off)",
      "ALTER SUBSCRIPTION s SET PUBLICATION p WITH (refresh = false)", "ALTER SUBSCRIPTION s DISABLE",
      "ALTER DATABASE d SET work_mem = '1MB'", "CLUSTER t USING i", "CLUSTER VERBOSE t", "DISCARD PLANS",
      "ALTER TABLE t DETACH PARTITION p", "ALTER TABLE t ADD COLUMN c int", "COMMIT", "ROLLBACK",
      "CREATE TABLE t (note text default 'concurrently')",
    ])
  func inside(_ sql: String) throws {
    #expect(Self.tree(sql) == false)
    #expect(try Self.outside(sql) == false)
  }

  @Test("where the tokens were wrong: an option's value is read, not its name")
  func optionValues() throws {
    // The token rule saw the word CONCURRENTLY and said outside; the server runs these in
    // a block.
    #expect(try Self.outside("REINDEX (CONCURRENTLY false) TABLE t") == false)
    #expect(try Self.outside("REINDEX (VERBOSE, CONCURRENTLY off) INDEX i") == false)
    #expect(try Self.outside("REINDEX (CONCURRENTLY 0) TABLE t") == false)
  }

  @Test("a statement the PG 15 grammar cannot parse keeps the token rule's answer")
  func unparsable() throws {
    #expect(Self.tree("CREATE DATABASE x WITH SOME_FUTURE_SYNTAX (") == nil)
    #expect(try Self.outside("CREATE DATABASE x WITH SOME_FUTURE_SYNTAX (") == true)
  }

  @Test(
    "only candidates reach the parser: ordinary statements are decided by their first words",
    arguments: [
      "INSERT INTO t VALUES (1)", "CREATE TABLE t (id int)", "UPDATE t SET a = 1 WHERE id = 2", "SELECT 1",
      "ALTER TABLE t ADD COLUMN c int", "DROP TABLE t", "COMMIT", "GRANT SELECT ON t TO r",
    ])
  func notCandidates(_ sql: String) {
    let first = sql.split(separator: " ")[0].lowercased()
    let second = sql.split(separator: " ").dropFirst().first.map { $0.lowercased() }
    let candidate = Array(sql.utf8).withUnsafeBufferPointer {
      TransactionBlockRule.isCandidate(first: first, second: second, text: $0)
    }
    #expect(!candidate)
  }
}
