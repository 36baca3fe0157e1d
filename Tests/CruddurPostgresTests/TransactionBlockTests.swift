import CruddurCore
import CruddurTestSupport
import Testing

@testable import CruddurPostgres

/// Statements that start or end the transaction itself are told apart, from the reader's
/// tokens, from those that stay inside it.
@Suite struct TransactionBlockClassificationTests {
  @Test(
    "BEGIN, COMMIT, ROLLBACK, END, ABORT, START and PREPARE TRANSACTION change the transaction block",
    arguments: [
      "BEGIN", "begin work", "BEGIN ISOLATION LEVEL SERIALIZABLE", "START TRANSACTION", "start  transaction read only",
      "COMMIT", "commit work", "COMMIT AND CHAIN", "END", "END TRANSACTION", "ROLLBACK", "rollback and chain",
      "ROLLBACK WORK", "ABORT", "PREPARE TRANSACTION 'x'", "/* lead */ COMMIT",
    ])
  func changes(_ sql: String) throws {
    let statement = try #require(try statements(sql + ";").first)
    #expect(statement.changesTransactionBlock)
    #expect(statement.problem(inTransaction: true)?.code == "transactionControlInTransaction")
    #expect(statement.problem(inTransaction: true)?.diagnostic().help?.contains("transaction: false") == true)
    #expect(statement.problem(inTransaction: false) == nil)
  }

  @Test(
    "savepoints, ROLLBACK TO, PREPARED and look-alikes do not",
    arguments: [
      "SAVEPOINT a", "RELEASE SAVEPOINT a", "RELEASE a", "ROLLBACK TO SAVEPOINT a", "ROLLBACK TO a",
      "rollback work to a", "ROLLBACK TRANSACTION TO SAVEPOINT a", "SELECT 'COMMIT'", "COMMENT ON TABLE t IS 'begin'",
      "PREPARE q AS SELECT 1", "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN COMMIT; END $$",
      "CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC SELECT 1; END", "\"begin\"",
    ])
  func staysInside(_ sql: String) throws {
    let statement = try #require(try statements(sql + ";").first)
    #expect(!statement.changesTransactionBlock)
  }

  @Test("the problem names the statement")
  func message() throws {
    let statement = try #require(try statements("start transaction read only;").first)
    #expect(statement.problem(inTransaction: true) == .transactionControlInTransaction(keyword: "START TRANSACTION"))
    #expect(
      statement.problem(inTransaction: true)?.diagnostic().message
        == "`START TRANSACTION` cannot run in this file: it already runs in one transaction")
    let commit = try #require(try statements("commit;").first)
    #expect(commit.problem(inTransaction: true) == .transactionControlInTransaction(keyword: "COMMIT"))
  }
}

extension PostgresLoaderTests {
  /// A file run in one transaction is all or nothing: a COMMIT in it would break that.
  @Suite struct OneTransactionTests {
    @Test("BEGIN ... COMMIT in a one-transaction file is refused where it is, before anything runs")
    func refused() async throws {
      let database = try await PostgresLoaderTests.createDatabase("onetx")
      let project = try PostgresLoaderTests.project(
        database: database,
        sql: "create table kept (id int);\nBEGIN;\ninsert into kept values (1);\nCOMMIT;\nselect 1/0;\n")
      defer { project.remove() }
      let result = try await PostgresLoaderTests.load(project, database: database)
      #expect(result.status == 2, "\(result)")
      #expect(
        result.stderr == """
          error: `BEGIN` cannot run in this file: it already runs in one transaction
           --> db/load.sql:2:1
            |
          2 | BEGIN;
            | ^^^^^
            = help: use `transaction: false` to run the file statement by statement with its own transactions, like `psql -f`, or remove the statement
          error: `COMMIT` cannot run in this file: it already runs in one transaction
           --> db/load.sql:4:1
            |
          4 | COMMIT;
            | ^^^^^^
            = help: use `transaction: false` to run the file statement by statement with its own transactions, like `psql -f`, or remove the statement

          """, "\(result)")
      #expect(try await PostgresLoaderTests.snapshot(database) == [])
    }

    @Test("savepoints and a procedure whose body commits are fine in one transaction")
    func savepoints() async throws {
      let database = try await PostgresLoaderTests.createDatabase("onetxsp")
      let project = try PostgresLoaderTests.project(
        database: database,
        sql: """
          create table t (id int);
          insert into t values (1);
          SAVEPOINT a;
          insert into t values (2);
          ROLLBACK TO SAVEPOINT a;
          RELEASE SAVEPOINT a;
          create procedure p() language plpgsql as $$ begin commit; end $$;

          """)
      defer { project.remove() }
      let result = try await PostgresLoaderTests.load(project, database: database)
      #expect(result.status == 0, "\(result)")
      #expect(try await PostgresLoaderTests.cluster.value("select string_agg(id::text, ',') from t", database: database) == "1")
    }

    @Test("with transaction: false the file's own BEGIN and COMMIT run, and what they committed stays")
    func ownTransactions() async throws {
      let database = try await PostgresLoaderTests.createDatabase("owntx")
      let project = try PostgresLoaderTests.project(
        database: database,
        sql: "create table kept (id int);\nBEGIN;\ninsert into kept values (1);\nCOMMIT;\nselect 1/0;\n",
        transaction: false)
      defer { project.remove() }
      let result = try await PostgresLoaderTests.load(project, database: database)
      #expect(result.status == 1, "\(result)")
      #expect(result.stderr.contains("--> db/load.sql:5:"), "\(result)")
      #expect(try await PostgresLoaderTests.cluster.value("select count(*) from kept", database: database) == "1")
    }
  }
}
