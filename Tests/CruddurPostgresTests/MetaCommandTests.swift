import CruddurTestSupport
import Testing

extension PostgresLoaderTests {
  @Suite struct MetaCommandTests {
    @Test("\\i (from the project root) and \\ir (from the including file) include files; errors point into them")
    func includes() async throws {
      let database = try await PostgresLoaderTests.createDatabase("incl")
      let project = try PostgresLoaderTests.project(
        database: database, sql: "create table t (id int);\n\\ir parts/a.sql\n\\i db/parts/b.sql\n",
        files: [
          "db/parts/a.sql": "insert into t values (1);\n\\ir nested/c.sql\n",
          "db/parts/nested/c.sql": "insert into t values (3);\n",
          "db/parts/b.sql": "insert into t values (2);\n",
        ])
      defer { project.remove() }
      let result = try await PostgresLoaderTests.load(project, database: database)
      #expect(result.status == 0, "\(result)")
      #expect(
        try await PostgresLoaderTests.cluster.value(
          "select string_agg(id::text, ',' order by id) from t", database: database) == "1,2,3")

      try project.write("db/parts/nested/c.sql", "insert into t values (3);\n\ninsert into t values ('x');\n")
      let database2 = try await PostgresLoaderTests.createDatabase("incl")
      let failed = try await PostgresLoaderTests.load(project, database: database2)
      failed.expect(
        stdout: PostgresLoaderTests.failedLoadHeader,
        stderr: """
          == load failed after <duration>
          error: invalid input syntax for type integer: "x"  [SQLSTATE 22P02]
           --> db/parts/nested/c.sql:3:23
            |
          3 | insert into t values ('x');
            |                       ^

          """, status: 1, normalizing: PostgresLoaderTests.variable(database2))
      #expect(try await PostgresLoaderTests.snapshot(database2) == [])
    }

    @Test("\\restrict, \\unrestrict and \\set ON_ERROR_STOP are accepted")
    func accepted() async throws {
      let database = try await PostgresLoaderTests.createDatabase("meta")
      let project = try PostgresLoaderTests.project(
        database: database,
        sql: "\\restrict abc123\n\\set ON_ERROR_STOP on\ncreate table t (id int);\n\\unrestrict abc123\n")
      defer { project.remove() }
      let result = try await PostgresLoaderTests.load(project, database: database)
      #expect(result.status == 0, "\(result)")
      #expect(try await PostgresLoaderTests.snapshot(database) == ["public.t 0 "])
    }

    @Test("another meta-command is a validation error at its line, before anything runs")
    func unsupported() async throws {
      let database = try await PostgresLoaderTests.createDatabase("metabad")
      let project = try PostgresLoaderTests.project(
        database: database, sql: "create table t (id int);\n\\gset\ninsert into t values (1);\n")
      defer { project.remove() }
      let result = try await PostgresLoaderTests.load(project, database: database)
      let refusal = #"""
        error: psql meta-command `\gset` is not supported
         --> db/load.sql:2:1
          |
        2 | \gset
          | ^^^^^
          = help: supported: \connect (\c), \restrict, \unrestrict, \i, \ir, \set ON_ERROR_STOP

        """#
      result.expect(stderr: refusal, status: 2)
      #expect(try await PostgresLoaderTests.snapshot(database) == [])

      let validate = try await project.run(
        ["validate"], environment: PostgresLoaderTests.environment(database: database))
      validate.expect(stderr: refusal, status: 2)
    }

    @Test("\\connect switches to another database of the same server")
    func connect() async throws {
      let first = try await PostgresLoaderTests.createDatabase("conn1")
      let second = try await PostgresLoaderTests.createDatabase("conn2")
      let project = try PostgresLoaderTests.project(
        database: first, sql: "create table one (id int);\n\\connect \(second)\ncreate table two (id int);\n")
      defer { project.remove() }
      let result = try await PostgresLoaderTests.load(project, database: first)
      #expect(result.status == 0, "\(result)")
      #expect(try await PostgresLoaderTests.snapshot(first) == ["public.one 0 "])
      #expect(try await PostgresLoaderTests.snapshot(second) == ["public.two 0 "])
    }
  }
}
