import CruddurTestSupport
import Testing

extension PostgresLoaderTests {
  @Suite struct ErrorLocationTests {
    /// A file of 5 statements over 7 lines; `broken` replaces statement `index`.
    static func script(breaking index: Int, with broken: String) -> String {
      var statements = [
        "create table a (id int primary key, name text);",
        "insert into a values (1, 'one');",
        "insert into a values (2, 'two'); insert into a values (3, 'three');",
        "create index a_name on a (name);",
        "  update a set name = upper(name)\n    where id > 1;",
      ]
      statements[index] = broken
      return statements.joined(separator: "\n") + "\n"
    }

    static let existing = ["create table existing (id int primary key)", "insert into existing values (1), (2)"]

    func expectFailure(
      _ sql: String, at location: String, caretLine: String, sqlState: String,
      sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
      let database = try await PostgresLoaderTests.createDatabase("err")
      for statement in Self.existing { _ = try await PostgresLoaderTests.cluster.query(statement, database: database) }
      let before = try await PostgresLoaderTests.snapshot(database)
      let project = try PostgresLoaderTests.project(database: database, sql: sql)
      defer { project.remove() }
      let result = try await PostgresLoaderTests.load(project, database: database)
      #expect(result.status == 1, "\(result)", sourceLocation: sourceLocation)
      #expect(result.stderr.contains("--> db/load.sql:\(location)\n"), "\(result)", sourceLocation: sourceLocation)
      #expect(result.stderr.contains(caretLine), "\(result)", sourceLocation: sourceLocation)
      #expect(result.stderr.contains("SQLSTATE \(sqlState)"), "\(result)", sourceLocation: sourceLocation)
      #expect(!result.output.contains(TestCluster.password), sourceLocation: sourceLocation)
      #expect(try await PostgresLoaderTests.snapshot(database) == before, sourceLocation: sourceLocation)
    }

    @Test("a syntax error in the first statement points at its line and column")
    func syntaxFirst() async throws {
      try await expectFailure(
        Self.script(breaking: 0, with: "create tabel a (id int);"), at: "1:8",
        caretLine: "1 | create tabel a (id int);\n  |        ^", sqlState: "42601")
    }

    @Test("a syntax error in a middle statement, second on its line, points into that line")
    func syntaxMiddle() async throws {
      try await expectFailure(
        Self.script(breaking: 2, with: "insert into a values (2, 'two'); insert inot a values (3, 'three');"),
        at: "3:41", caretLine: "3 | insert into a values (2, 'two'); insert inot a values (3, 'three');", sqlState: "42601")
    }

    @Test("a syntax error in the last statement, on its second line, points there")
    func syntaxLast() async throws {
      try await expectFailure(
        Self.script(breaking: 4, with: "  update a set name = upper(name)\n    wher id > 1;"), at: "6:5",
        caretLine: "6 |     wher id > 1;\n  |     ^", sqlState: "42601")
    }

    @Test("a unique violation (no position from the server) points at the failing statement")
    func uniqueViolation() async throws {
      try await expectFailure(
        Self.script(breaking: 2, with: "insert into a values (2, 'two'); insert into a values (1, 'again');"),
        at: "3:34", caretLine: "insert into a values (1, 'again');", sqlState: "23505")
    }

    @Test("a unique violation in the first statement of a batch")
    func uniqueViolationFirst() async throws {
      try await expectFailure(
        "insert into existing values (1);\ninsert into existing values (3);\n", at: "1:1",
        caretLine: "1 | insert into existing values (1);\n  | ^", sqlState: "23505")
    }

    @Test("a missing table in the last statement points at the table name")
    func missingTableLast() async throws {
      try await expectFailure(
        Self.script(breaking: 4, with: "  update missing set name = upper(name)\n    where id > 1;"), at: "5:10",
        caretLine: "5 |   update missing set name = upper(name)\n  |          ^", sqlState: "42P01")
    }

    @Test("detail and hint of a server error are shown")
    func detailAndHint() async throws {
      let database = try await PostgresLoaderTests.createDatabase("detail")
      let project = try PostgresLoaderTests.project(
        database: database,
        sql: "create table p (id int primary key);\ninsert into p values (1);\ninsert into p values (1);\n")
      defer { project.remove() }
      let result = try await PostgresLoaderTests.load(project, database: database)
      #expect(result.status == 1)
      #expect(result.stderr.contains("detail: Key (id)=(1) already exists."), "\(result)")
      #expect(result.stderr.contains("--> db/load.sql:3:1"), "\(result)")
      #expect(try await PostgresLoaderTests.snapshot(database) == [])
    }

    @Test("an error after many batches is still located exactly")
    func errorAfterManyBatches() async throws {
      var lines = ["create table big (id int primary key);"]
      for i in 1...2_500 { lines.append("insert into big values (\(i));") }
      lines.append("insert into big values (17);")
      for i in 2_501...2_600 { lines.append("insert into big values (\(i));") }
      try await expectFailure(
        lines.joined(separator: "\n") + "\n", at: "2502:1", caretLine: "2502 | insert into big values (17);",
        sqlState: "23505")
    }
  }
}
