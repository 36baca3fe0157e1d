import CruddurTestSupport
import Testing

extension PostgresLoaderTests {
  @Suite struct CopyTests {
    @Test("COPY FROM stdin data arrives as written, NULLs and escapes included")
    func copyData() async throws {
      let database = try await PostgresLoaderTests.createDatabase("copy")
      let project = try PostgresLoaderTests.project(
        database: database,
        sql: "create table t (id int, v text);\nCOPY t (id, v) FROM stdin;\n1\ta\\tb\n2\t\\N\n3\tback\\\\slash\n\\.\n"
          + "insert into t values (4, 'after');\n")
      defer { project.remove() }
      let result = try await PostgresLoaderTests.load(project, database: database)
      #expect(result.status == 0, "\(result)")
      let rows = try await PostgresLoaderTests.cluster.query(
        "select id::text, v from t order by id", database: database)
      #expect(rows == [["1", "a\tb"], ["2", nil], ["3", "back\\slash"], ["4", "after"]])
    }

    @Test("a bad COPY row is reported at its own line in the file, and nothing is left behind")
    func badRow() async throws {
      let database = try await PostgresLoaderTests.createDatabase("copybad")
      let project = try PostgresLoaderTests.project(
        database: database,
        sql: "create table t (id int, v text);\n\nCOPY t (id, v) FROM stdin;\n1\ta\n2\tb\nthree\tc\n4\td\n\\.\n")
      defer { project.remove() }
      let result = try await PostgresLoaderTests.load(project, database: database)
      result.expect(
        stdout: PostgresLoaderTests.failedLoadHeader,
        stderr: """
          == load failed after <duration>
          error: invalid input syntax for type integer: "three"  [SQLSTATE 22P02]
           --> db/load.sql:6:1
            |
          6 | three\tc
            | ^
            = context: COPY t, line 3, column id: "three"

          """, status: 1, normalizing: PostgresLoaderTests.variable(database))
      #expect(try await PostgresLoaderTests.snapshot(database) == [])
    }

    @Test("a COPY into a missing table reports the COPY, and its data is never run as SQL")
    func missingTable() async throws {
      let database = try await PostgresLoaderTests.createDatabase("copymiss")
      let project = try PostgresLoaderTests.project(
        database: database, sql: "create table t (id int);\nCOPY nope (id) FROM stdin;\ndrop table t\n\\.\n")
      defer { project.remove() }
      let result = try await PostgresLoaderTests.load(project, database: database)
      result.expect(
        stdout: PostgresLoaderTests.failedLoadHeader,
        stderr: """
          == load failed after <duration>
          error: relation "nope" does not exist  [SQLSTATE 42P01]
           --> db/load.sql:2:1
            |
          2 | COPY nope (id) FROM stdin;
            | ^

          """, status: 1, normalizing: PostgresLoaderTests.variable(database))
      #expect(try await PostgresLoaderTests.snapshot(database) == [])
    }
  }
}
