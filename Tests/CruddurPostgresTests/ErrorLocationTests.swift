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

    /// The load of `sql` fails with exactly `stderr` (whole), and leaves the database as it was.
    func expectFailure(
      _ sql: String, stderr: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
      let database = try await PostgresLoaderTests.createDatabase("err")
      for statement in Self.existing { _ = try await PostgresLoaderTests.cluster.query(statement, database: database) }
      let before = try await PostgresLoaderTests.snapshot(database)
      let project = try PostgresLoaderTests.project(database: database, sql: sql)
      defer { project.remove() }
      let result = try await PostgresLoaderTests.load(project, database: database)
      result.expect(
        stdout: PostgresLoaderTests.failedLoadHeader, stderr: stderr, status: 1,
        normalizing: PostgresLoaderTests.variable(database),
        sourceLocation: sourceLocation)
      #expect(!result.output.contains(TestCluster.password), sourceLocation: sourceLocation)
      #expect(try await PostgresLoaderTests.snapshot(database) == before, sourceLocation: sourceLocation)
    }

    @Test("a syntax error in the first statement points at its line and column")
    func syntaxFirst() async throws {
      try await expectFailure(
        Self.script(breaking: 0, with: "create tabel a (id int);"),
        stderr: """
          == load failed after <duration>
          error: syntax error at or near "tabel"  [SQLSTATE 42601]
           --> db/load.sql:1:8
            |
          1 | create tabel a (id int);
            |        ^

          """)
    }

    @Test("a syntax error in a middle statement, second on its line, points into that line")
    func syntaxMiddle() async throws {
      try await expectFailure(
        Self.script(breaking: 2, with: "insert into a values (2, 'two'); insert inot a values (3, 'three');"),
        stderr: """
          == load failed after <duration>
          error: syntax error at or near "inot"  [SQLSTATE 42601]
           --> db/load.sql:3:41
            |
          3 | insert into a values (2, 'two'); insert inot a values (3, 'three');
            |                                         ^

          """)
    }

    @Test("a syntax error in the last statement, on its second line, points there")
    func syntaxLast() async throws {
      try await expectFailure(
        Self.script(breaking: 4, with: "  update a set name = upper(name)\n    wher id > 1;"),
        stderr: """
          == load failed after <duration>
          error: syntax error at or near "wher"  [SQLSTATE 42601]
           --> db/load.sql:6:5
            |
          6 |     wher id > 1;
            |     ^

          """)
    }

    @Test("a unique violation (no position from the server) points at the failing statement")
    func uniqueViolation() async throws {
      try await expectFailure(
        Self.script(breaking: 2, with: "insert into a values (2, 'two'); insert into a values (1, 'again');"),
        stderr: """
          == load failed after <duration>
          error: duplicate key value violates unique constraint "a_pkey"  [SQLSTATE 23505]
           --> db/load.sql:3:34
            |
          3 | insert into a values (2, 'two'); insert into a values (1, 'again');
            |                                  ^
            = detail: Key (id)=(1) already exists.

          """)
    }

    @Test("a unique violation in the first statement of a batch")
    func uniqueViolationFirst() async throws {
      try await expectFailure(
        "insert into existing values (1);\ninsert into existing values (3);\n",
        stderr: """
          == load failed after <duration>
          error: duplicate key value violates unique constraint "existing_pkey"  [SQLSTATE 23505]
           --> db/load.sql:1:1
            |
          1 | insert into existing values (1);
            | ^
            = detail: Key (id)=(1) already exists.

          """)
    }

    @Test("a missing table in the last statement points at the table name")
    func missingTableLast() async throws {
      try await expectFailure(
        Self.script(breaking: 4, with: "  update missing set name = upper(name)\n    where id > 1;"),
        stderr: """
          == load failed after <duration>
          error: relation "missing" does not exist  [SQLSTATE 42P01]
           --> db/load.sql:5:10
            |
          5 |   update missing set name = upper(name)
            |          ^

          """)
    }

    @Test("the detail of a server error is shown")
    func detailAndHint() async throws {
      let database = try await PostgresLoaderTests.createDatabase("detail")
      let project = try PostgresLoaderTests.project(
        database: database,
        sql: "create table p (id int primary key);\ninsert into p values (1);\ninsert into p values (1);\n")
      defer { project.remove() }
      let result = try await PostgresLoaderTests.load(project, database: database)
      result.expect(
        stdout: PostgresLoaderTests.failedLoadHeader,
        stderr: """
          == load failed after <duration>
          error: duplicate key value violates unique constraint "p_pkey"  [SQLSTATE 23505]
           --> db/load.sql:3:1
            |
          3 | insert into p values (1);
            | ^
            = detail: Key (id)=(1) already exists.

          """, status: 1, normalizing: PostgresLoaderTests.variable(database))
      #expect(try await PostgresLoaderTests.snapshot(database) == [])
    }

    @Test("an error after many batches is still located exactly")
    func errorAfterManyBatches() async throws {
      var lines = ["create table big (id int primary key);"]
      for i in 1...2_500 { lines.append("insert into big values (\(i));") }
      lines.append("insert into big values (17);")
      for i in 2_501...2_600 { lines.append("insert into big values (\(i));") }
      try await expectFailure(
        lines.joined(separator: "\n") + "\n",
        stderr: """
          == load failed after <duration>
          error: duplicate key value violates unique constraint "big_pkey"  [SQLSTATE 23505]
              --> db/load.sql:2502:1
               |
          2502 | insert into big values (17);
               | ^
               = detail: Key (id)=(17) already exists.

          """)
    }
  }
}
