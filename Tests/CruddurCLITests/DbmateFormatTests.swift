import CruddurCore
import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// dbmate's file format exactly, with the real dbmate as the oracle: each file is given
  /// to both tools on two fresh databases; either both accept it or both refuse it, and
  /// what they leave (tables, columns, indexes, rows) is the same, after up and after
  /// rollback.
  @Suite struct DbmateFormatTests {
    typealias M = MigrateTests

    static let cases: [(name: String, text: String, accepted: Bool)] = [
      ("plain", "-- migrate:up\ncreate table a (id int);\n-- migrate:down\ndrop table a;\n", true),
      (
        "comments and blank lines above up",
        "-- a note\n\n  -- an indented comment\n-- migrate:up\ncreate table a (id int);\n-- migrate:down\ndrop table a;\n",
        true
      ),
      (
        "a statement above up",
        "create table early (id int);\n-- migrate:up\ncreate table a (id int);\n-- migrate:down\ndrop table a;\n",
        false
      ),
      (
        "an indented down under an unterminated statement",
        "-- migrate:up\ncreate table a (id int)\n  -- migrate:down\ndrop table a;\n", false
      ),
      (
        "no space after --",
        "--migrate:up\ncreate table a (id int);\n--migrate:down\ndrop table a;\n", true
      ),
      (
        "trailing spaces on markers",
        "-- migrate:up   \ncreate table a (id int);\n-- migrate:down \t\ndrop table a;\n", true
      ),
      (
        "CRLF lines",
        "-- migrate:up\r\ncreate table a (id int);\r\n-- migrate:down\r\ndrop table a;\r\n", true
      ),
      (
        "two downs in one section",
        "-- migrate:up\ncreate table a (id int);\n-- migrate:down\ndrop table a;\n-- migrate:down\nselect 1;\n",
        false
      ),
      (
        "two sections, the second outside a transaction",
        """
        -- migrate:up
        create table a (id int);
        insert into a values (1), (2);
        -- migrate:down
        drop table a;

        -- migrate:up transaction:false
        create index concurrently a_id on a (id);
        -- migrate:down transaction:false
        drop index concurrently a_id;

        """, true
      ),
      (
        "three sections, options on each",
        """
        -- migrate:up transaction:true
        create table a (id int);
        -- migrate:down
        drop table if exists a;
        -- migrate:up transaction:false
        create index concurrently a_id on a (id);
        -- migrate:down transaction:false
        drop index concurrently if exists a_id;
        -- migrate:up
        alter table a add column b text;
        insert into a (id, b) values (3, 'x');
        -- migrate:down
        alter table a drop column if exists b;

        """, true
      ),
    ]

    /// Tables, columns, indexes and row counts of `public`, dbmate's table left out.
    static func fingerprint(_ database: String) async throws -> String {
      let rows = try await DatabaseTests.cluster.query(
        """
        select v from (
          select c.table_name || '.' || c.column_name || ' ' || c.data_type from information_schema.columns c
            where c.table_schema = 'public' and c.table_name <> 'schema_migrations'
          union all
          select i.indexdef || case when ix.indisvalid then '' else ' INVALID' end from pg_indexes i
            join pg_class ic on ic.relname = i.indexname join pg_index ix on ix.indexrelid = ic.oid
            where i.schemaname = 'public' and i.tablename <> 'schema_migrations'
          union all
          select t.relname || ' rows ' || (xpath('/row/c/text()', query_to_xml('select count(*) as c from public.' || quote_ident(t.relname), false, true, '')))[1]::text
            from pg_class t join pg_namespace n on n.oid = t.relnamespace
            where n.nspname = 'public' and t.relkind = 'r' and t.relname <> 'schema_migrations'
        ) s(v) order by v
        """, database: database)
      return rows.compactMap { $0[0] }.joined(separator: "\n")
    }

    @Test(
      "every format case: dbmate and cruddur both accept or both refuse, and leave the same schema and rows"
    )
    func sameAsDBMate() async throws {
      for (name, text, accepted) in Self.cases {
        let file = "20261201120000_case.sql"
        let (project, ours, env) = try await M.project([file: text])
        defer { project.remove() }
        let theirs = TestCluster.uniqueDatabaseName("dbm")
        _ = try await DatabaseTests.cluster.value("create database \(theirs)")
        let url = Dbmate.url(DatabaseTests.cluster, database: theirs)
        let dir = project.path + "/db/migrations"

        let dbmate = try await Dbmate.run(
          ["up"], url: url, migrationsDirectory: dir, in: project.path)
        let cruddur = try await project.run(["db:migrate"], environment: env)
        #expect((dbmate.status == 0) == accepted, "\(name): dbmate \(dbmate)")
        #expect((cruddur.status == 0) == accepted, "\(name): cruddur \(cruddur)")
        if !accepted { #expect(cruddur.status == 2, "\(name): \(cruddur)") }
        #expect(try await Self.fingerprint(ours) == Self.fingerprint(theirs), "\(name): after up")
        guard accepted else { continue }
        #expect(try await Self.fingerprint(ours) != "", "\(name): something was applied")

        let back = try await Dbmate.run(
          ["rollback"], url: url, migrationsDirectory: dir, in: project.path)
        #expect(back.status == 0, "\(name): \(back)")
        let ourBack = try await project.run(["db:rollback"], environment: env)
        #expect(ourBack.status == 0, "\(name): \(ourBack)")
        #expect(
          try await Self.fingerprint(ours) == Self.fingerprint(theirs), "\(name): after rollback")
      }
    }

    @Test(
      "a statement above `-- migrate:up` and an indented marker: exit 2 at file:line with a hint, nothing applied"
    )
    func refusedAtTheirLine() async throws {
      let (project, database, env) = try await M.project([
        "20261201120000_early.sql":
          "-- why\ncreate type mood as enum ('ok');\n-- migrate:up\ncreate table a (m mood);\n"
      ])
      defer { project.remove() }
      try await project.expect(
        ["db:migrate"], environment: env,
        stdout: """

          """,
        stderr: """
          error: a statement before the first `-- migrate:up`: it would never run (dbmate refuses such a file)
           --> db/migrations/20261201120000_early.sql:2:1
            |
          2 | create type mood as enum ('ok');
            | ^
            = help: move it below `-- migrate:up`

          """, status: 2, normalizing: DatabaseTests.variable(database))
      try FileManager.default.removeItem(
        atPath: project.path + "/db/migrations/20261201120000_early.sql")
      try project.write(
        "db/migrations/20261201120000_indented.sql",
        "-- migrate:up\ncreate table a (id int)\n    -- migrate:down\ndrop table a;\n")
      try await project.expect(
        ["db:migrate"], environment: env,
        stdout: """

          """,
        stderr: """
          error: `-- migrate:down` must start at column 1: indented, dbmate reads it as part of the statement above
           --> db/migrations/20261201120000_indented.sql:3:5
            |
          3 |     -- migrate:down
            |     ^
            = help: remove the indentation; if the statement above is unterminated, end it with `;`

          """, status: 2, normalizing: DatabaseTests.variable(database))
      #expect(try await !M.tableExists("cruddur.migrations", database))
    }
  }
}
