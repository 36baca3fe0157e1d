import CruddurCore
import CruddurTestSupport
import Testing

@testable import CruddurPostgres

extension PostgresLoaderTests {
  /// The fields a real server sends, as `ServerError` keeps them.
  @Suite struct ServerErrorTests {
    /// The error `sql` raises on a fresh database, after `setup` ran there.
    static func serverError(_ sql: String, after setup: [String] = []) async throws -> ServerError {
      let database = try await PostgresLoaderTests.createDatabase("srverr")
      for statement in setup { _ = try await PostgresLoaderTests.cluster.query(statement, database: database) }
      let info = try ConnInfo(parsing: ConnectionURL(PostgresLoaderTests.cluster.url(database: database)))
      let connection = try await Connection.connect(info)
      defer { Task { await connection.close() } }
      let error = await #expect(throws: ServerError.self) { try await connection.execute(sql) }
      return try #require(error)
    }

    @Test("a unique violation names its SQLSTATE, class, schema, table and constraint, and the server's source")
    func uniqueViolation() async throws {
      let error = try await Self.serverError(
        "insert into accounts values (1)",
        after: ["create table accounts (id int constraint accounts_pkey primary key)", "insert into accounts values (1)"])
      #expect(error.sqlState == .uniqueViolation, "\(error.debugDescription)")
      #expect(error.sqlState?.errorClass == .integrityConstraintViolation)
      #expect(error.severity == "ERROR")
      #expect(error.severityNonLocalized == "ERROR")
      #expect(error.message == "duplicate key value violates unique constraint \"accounts_pkey\"")
      #expect(error.detail == "Key (id)=(1) already exists.")
      #expect(error.schemaName == "public")
      #expect(error.tableName == "accounts")
      #expect(error.constraintName == "accounts_pkey")
      #expect(error.columnName == nil)
      #expect(error.position == nil)
      #expect(error.serverSourceFile?.hasSuffix(".c") == true, "\(error.debugDescription)")
      #expect((error.serverSourceLine ?? 0) > 0)
      #expect(error.serverSourceFunction?.isEmpty == false)
      let diagnostic = try #require(error.diagnostics.first)
      #expect(diagnostic.code == "23505")
      #expect(
        diagnostic.objectNames == DatabaseObjectNames(schema: "public", table: "accounts", constraint: "accounts_pkey"))
    }

    @Test("a not-null violation names the column; a domain's check names the data type")
    func columnAndDataType() async throws {
      let notNull = try await Self.serverError(
        "insert into people (name) values (null)", after: ["create table people (name text not null)"])
      #expect(notNull.sqlState == .notNullViolation)
      #expect(notNull.tableName == "people")
      #expect(notNull.columnName == "name")
      let domain = try await Self.serverError(
        "select (-1)::positive", after: ["create domain positive as int constraint positive_check check (value > 0)"])
      #expect(domain.sqlState == .checkViolation)
      #expect(domain.dataTypeName == "positive")
      #expect(domain.constraintName == "positive_check")
      #expect(domain.schemaName == "public")
    }

    @Test("an error inside a PL/pgSQL function gives the query it made, the position in it, and the context")
    func plpgsql() async throws {
      let error = try await Self.serverError(
        "select count_missing()",
        after: [
          """
          create function count_missing() returns bigint language plpgsql as $$
          begin
            return (select count(*) from missing_table);
          end $$
          """
        ])
      #expect(error.sqlState == .undefinedTable)
      let query = try #require(error.internalQuery, "\(error.debugDescription)")
      let position = try #require(error.internalPosition)
      // 1-based, in characters of the internal query: it points at the missing table.
      #expect(String(Array(query).dropFirst(position - 1)).hasPrefix("missing_table"), "\(query) at \(position)")
      #expect(error.position == nil)
      #expect(error.context?.contains("PL/pgSQL function count_missing()") == true, "\(error.debugDescription)")
      let notes = try #require(error.diagnostics.first).notes.map(\.message)
      #expect(notes.contains("query (at character \(position)): \(query)"), "\(notes)")
    }

    @Test("a syntax error's position is 1-based, in characters of the statement sent")
    func syntaxPosition() async throws {
      let error = try await Self.serverError("select 'é', 'ü', from t")
      #expect(error.sqlState == .syntaxError)
      #expect(error.sqlState?.errorClass == .syntaxErrorOrAccessRuleViolation)
      #expect(error.position == 18)
    }

    @Test("description is generic and holds no message text; debugDescription has every field, masked")
    func descriptions() async throws {
      let error = try await Self.serverError(
        "do $$ begin raise exception 'the password is %', '\(TestCluster.password)' using hint = 'rotate it'; end $$")
      #expect(error.sqlState == .raiseException)
      #expect(error.description == "server error P0001")
      #expect(!error.description.contains("password"))
      #expect("\(error)" == "server error P0001")
      #expect(error.debugDescription.contains("message: \"the password is ****\""), "\(error.debugDescription)")
      #expect(error.debugDescription.contains("hint: \"rotate it\""))
      #expect(error.debugDescription.contains("sqlState: \"P0001\""))
      #expect(!error.debugDescription.contains(TestCluster.password))
      let rendered = error.diagnostics.map { "\($0)" }.joined()
      #expect(!rendered.contains(TestCluster.password))
    }
  }
}

/// What `ServerError` makes of fields a server did or did not send, without a server.
@Suite struct ServerErrorFieldTests {
  static func error(_ fields: [Int32: String]) -> ServerError? { ServerError { fields[$0] } }

  @Test("a missing SQLSTATE stays missing: no XX000 is invented, and no [SQLSTATE] shown")
  func missingSQLState() throws {
    let error = try #require(Self.error([DiagnosticField.message: "lost synchronization with server"]))
    #expect(error.sqlState == nil)
    #expect(error.severity == nil)
    #expect(error.description == "server error")
    let diagnostic = try #require(error.diagnostics.first)
    #expect(diagnostic.message == "lost synchronization with server")
    #expect(diagnostic.code == nil)
    #expect(diagnostic.objectNames == nil)
  }

  @Test("no primary message is no server error (libpq's own failure)")
  func noMessage() {
    #expect(Self.error([DiagnosticField.sqlState: "42601"]) == nil)
  }

  @Test("a malformed SQLSTATE is dropped, not kept as a code to compare against")
  func malformedSQLState() throws {
    let error = try #require(Self.error([DiagnosticField.message: "m", DiagnosticField.sqlState: "4260"]))
    #expect(error.sqlState == nil)
  }

  @Test("SQLState accepts five digits or upper-case letters and knows its class")
  func sqlStateShape() {
    #expect(SQLState("42601") == .syntaxError)
    #expect(SQLState("42P04") == .duplicateDatabase)
    #expect(SQLState("42p04") == nil)
    #expect(SQLState("426011") == nil)
    #expect(SQLState("4260") == nil)
    #expect(SQLState("57014")?.errorClass == .operatorIntervention)
    #expect(SQLState.lockNotAvailable.errorClass == .objectNotInPrerequisiteState)
    #expect(SQLState.invalidCatalogName.code == "3D000")
  }
}
