import CruddurTestSupport
import Foundation
import Testing

extension PostgresLoaderTests {
  @Suite struct DumpLoadTests {
    /// A source database with what dumps carry: COPY data with tabs, backslashes, NULLs,
    /// quotes and non-ASCII text, a foreign key, indexes, a function, a view, a sequence.
    static let schema = [
      "create table authors (id serial primary key, name text not null unique, bio text)",
      """
      create table posts (id bigint generated always as identity primary key,
        author_id int not null references authors(id), title text, body text, score numeric(6,2),
        created_at timestamptz default '2024-01-02 03:04:05+00')
      """,
      "create index posts_author on posts (author_id, created_at)",
      """
      create function post_count(a int) returns bigint language plpgsql stable as $$
      declare n bigint; begin select count(*) into n from posts where author_id = a; return n; end; $$
      """,
      "create view author_stats as select a.name, post_count(a.id) as posts from authors a",
      """
      insert into authors (name, bio) values ('tab\there', null), ('back\\slash', 'it''s "quoted"'),
        ('ünï', E'line1\\nline2'), ('semi;colon', '\\.'), ('empty', '')
      """,
      """
      insert into posts (author_id, title, body, score)
      select 1 + (g % 5), 'title ' || g, case when g % 7 = 0 then null else repeat('x\ty\\z', g % 4) end, g / 3.0
      from generate_series(1, 500) g
      """,
    ]

    @Test("a real pg_dump loads like psql -1 -f loads it: same tables, rows and checksums")
    func dumpMatchesPsql() async throws {
      let source = try await PostgresLoaderTests.createDatabase("dumpsrc")
      for statement in Self.schema { _ = try await PostgresLoaderTests.cluster.query(statement, database: source) }
      let directory = try TemporaryDirectory(prefix: "cruddur-dump")
      defer { directory.remove() }
      let dumpPath = directory.path + "/dump.sql"
      let dump = try PostgresLoaderTests.runTool("pg_dump", ["-f", dumpPath, source])
      #expect(dump.status == 0, "\(dump.output)")
      let text = try String(contentsOfFile: dumpPath, encoding: .utf8)
      #expect(text.contains("COPY public.posts"))

      let viaPsql = try await PostgresLoaderTests.createDatabase("dumppsql")
      let psql = try PostgresLoaderTests.runTool(
        "psql", ["-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-d", viaPsql, "-f", dumpPath])
      #expect(psql.status == 0, "\(psql.output)")

      let viaCruddur = try await PostgresLoaderTests.createDatabase("dumpcr")
      let project = try PostgresLoaderTests.project(database: viaCruddur, sql: text)
      defer { project.remove() }
      let result = try await PostgresLoaderTests.load(project, database: viaCruddur)
      #expect(result.status == 0, "\(result)")

      let expected = try await PostgresLoaderTests.snapshot(source)
      #expect(expected.count == 3)
      #expect(try await PostgresLoaderTests.snapshot(viaPsql) == expected)
      #expect(try await PostgresLoaderTests.snapshot(viaCruddur) == expected)
      let stats = "select string_agg(name || '=' || posts, ',' order by name) from author_stats"
      #expect(
        try await PostgresLoaderTests.cluster.value(stats, database: viaCruddur)
          == PostgresLoaderTests.cluster.value(stats, database: source))
      // The identity sequence continues where the source stopped.
      #expect(
        try await PostgresLoaderTests.cluster.value(
          "insert into posts (author_id) values (1) returning id", database: viaCruddur) == "501")
    }
  }
}
