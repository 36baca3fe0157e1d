import CruddurCore
import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// Issue 17's "Why" list, as a new user would try it: on a protected environment, with no
  /// terminal and no --yes, each is refused before the first step and the database is as it
  /// was. Shell steps are unknown unless their task says `destructive: false`.
  @Suite struct FailClosedTests {
    static let whyList = [
      "with d as (delete from public.notes returning 1) select count(*) from d;",
      "with d as (update public.notes set body = 'x' returning 1) select count(*) from d;",
      "explain analyze delete from public.notes;",
      "prepare p as delete from public.notes;\nexecute p;",
      "merge into public.notes using (select 1 as id) s on true when matched then delete;",
      "create table k2 as with d as (delete from public.notes returning *) select * from d;",
      "copy (delete from public.notes returning *) to stdout;",
      "do $$ begin execute 'drop table public.notes'; end $$;",
      "delete from public.notes where true;",
      "delete from public.notes where 1 = 1;",
      "delete from public.notes where id = 1 or true;",
      "delete from public.notes returning id as where;",
      "alter table public.notes alter column id type text;",
      "alter table public.notes set schema other;",
      "alter table public.notes alter column id drop identity;",
      "select lo_unlink(1);",
      "create function w() returns void language sql as 'delete from public.notes';\nselect w();",
      "do $$ begin drop table public.notes; end $$;",
      "set standard_conforming_strings = off;\nupdate public.notes set body = 'a\\' where id = 1 --';",
      "copy public.notes to program 'true';",
      "revoke select on public.notes from public;",
      "alter system set work_mem = '8MB';",
      "select pg_terminate_backend(pid) from pg_stat_activity where pid <> pg_backend_pid();",
      "call p();",
      "select some_function();",
    ]

    static func project(database: String) throws -> TemporaryProject {
      try TemporaryProject(files: [
        "cruddur.yml": """
        version: 1
        environments:
          local: { default: true, url: "${TEST_URL}" }
          prod: { protected: true, url: "${TEST_URL}" }
        tasks:
          why: { sql: sql/why.sql }
          why-each: { sql: sql/why.sql, transaction: false }
          touch: { shell: touch made }
          touch-ok: { shell: touch made-ok, destructive: false }
        """,
        "sql/why.sql": "select 1;\n",
      ])
    }

    @Test(
      "every statement of the issue's list is refused on a protected environment before anything runs (exit 3)"
    )
    func whyListRefused() async throws {
      let database = TestCluster.uniqueDatabaseName("why")
      try await ProductionSafetyTests.prepare(database)
      let project = try Self.project(database: database)
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      for statement in Self.whyList {
        try project.write("sql/why.sql", statement + "\n")
        // ALTER SYSTEM cannot run in a transaction block: the file is run statement by statement.
        let alone = statement.hasPrefix("alter system")
        let (task, how) =
          alone ? ("why-each", "statement by statement") : ("why", "in one transaction")
        try await project.expect(
          [task, "-e", "prod"], environment: env,
          stderr: """
            error: refused: prod is protected: step 1 needs consent (--yes or type 'prod'); nothing was run
             = 1. \(task): run sql/why.sql \(how) on postgres@127.0.0.1:<port>/<db>
             = help: pass --yes, or run it on a terminal and type 'prod'

            """, status: 3, normalizing: DatabaseTests.variable(database))
      }
      #expect(try await ProductionSafetyTests.count(database) == "2")
      #expect(
        try await DatabaseTests.cluster.value(
          "select string_agg(body, ',' order by id) from public.notes", database: database) == "a,b"
      )
      // The same file runs on an environment that is not protected (no parse, no question).
      try project.write("sql/why.sql", "delete from public.notes where true;\n")
      #expect(try await project.run(["why"], environment: env).status == 0)
      #expect(try await ProductionSafetyTests.count(database) == "0")
    }

    @Test("the plan names each statement that needs consent at file:line, with its reason")
    func planNamesReasons() async throws {
      let database = TestCluster.uniqueDatabaseName("why")
      try await ProductionSafetyTests.prepare(database)
      let project = try Self.project(database: database)
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      try project.write(
        "sql/why.sql",
        """
        update public.notes set body = 'fine' where id = 1;
        insert into public.notes (body) values ('drop table public.notes');
        do $$ begin execute 'drop ' || 'table public.notes'; end $$;
        with d as (delete from public.notes returning 1) select count(*) from d;
        select some_function();

        """)
      try await project.expect(
        ["plan", "why", "-e", "prod"], environment: env,
        stdout: """
          Plan for why on prod (postgresql://postgres:****@127.0.0.1:<port>/<db>)
          prod is protected: step 1 needs consent (--yes or type 'prod')
          1. why (sql) [destructive] [needs consent]
             run sql/why.sql in one transaction
             target: postgres@127.0.0.1:<port>/<db>
             file: sql/why.sql (<size> bytes, 5 statements)
             sha256: <sha256>
             lock_timeout 2s; retried up to 3 times on a lock timeout or a deadlock
             unknown: dynamic EXECUTE in a DO block (sql/why.sql:3)
             destructive: DELETE without WHERE on public.notes (sql/why.sql:4)
             unknown: calls some_function(), not known to be read-only (sql/why.sql:5)

          """, normalizing: DatabaseTests.variable(database) + [.fileDigests])
      // Only the harmless lines: nothing to ask.
      try project.write(
        "sql/why.sql",
        "update public.notes set body = 'fine' where id = 1;\ninsert into public.notes (body) values ('c');\n"
      )
      let fine = try await project.run(["why", "-e", "prod"], environment: env)
      #expect(fine.status == 0, "\(fine)")
      #expect(try await ProductionSafetyTests.count(database) == "3")
    }

    @Test("a shell step on a protected environment asks, unless its task says destructive: false")
    func shellStepsAsk() async throws {
      let database = TestCluster.uniqueDatabaseName("why")
      try await ProductionSafetyTests.prepare(database)
      let project = try Self.project(database: database)
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      try await project.expect(
        ["touch", "-e", "prod"], environment: env,
        stderr: """
          error: refused: prod is protected: step 1 needs consent (--yes or type 'prod'); nothing was run
           = 1. touch: sh: touch made
           = help: pass --yes, or run it on a terminal and type 'prod'

          """, status: 3, normalizing: DatabaseTests.variable(database))
      #expect(!FileManager.default.fileExists(atPath: project.path + "/made"))
      #expect(try await project.run(["touch-ok", "-e", "prod"], environment: env).status == 0)
      #expect(FileManager.default.fileExists(atPath: project.path + "/made-ok"))
      // Not protected: no question.
      #expect(try await project.run(["touch"], environment: env).status == 0)
      #expect(FileManager.default.fileExists(atPath: project.path + "/made"))
    }

    @Test(
      "with plan --check a call of a function the target says is stable does not ask; a volatile one does"
    )
    func functionsLookedUpOnTarget() async throws {
      let database = TestCluster.uniqueDatabaseName("why")
      try await ProductionSafetyTests.prepare(database)
      let cluster = DatabaseTests.cluster
      _ = try await cluster.value(
        "create function public.note_count() returns bigint language sql stable as 'select count(*) from public.notes'",
        database: database)
      _ = try await cluster.value(
        "create function public.bump() returns void language sql as 'delete from public.notes'",
        database: database)
      let project = try Self.project(database: database)
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      try project.write("sql/why.sql", "select note_count();\nselect public.bump();\n")
      let plain = try await project.run(["plan", "why", "-e", "prod"], environment: env)
      #expect(
        plain.stdout.contains(
          "unknown: calls note_count(), not known to be read-only (sql/why.sql:1)"))
      #expect(
        plain.stdout.contains(
          "unknown: calls public.bump(), not known to be read-only (sql/why.sql:2)"))
      let checked = try await project.run(
        ["plan", "why", "-e", "prod", "--check"], environment: env)
      #expect(checked.status == 0, "\(checked)")
      #expect(!checked.stdout.contains("note_count(), not known"), "\(checked.stdout)")
      #expect(
        checked.stdout.contains(
          "unknown: calls public.bump(), not known to be read-only (sql/why.sql:2)"))
      #expect(checked.stdout.contains("stable or immutable on the target: note_count"))
      // A run reads the target the same way before it asks: the stable call alone runs.
      try await project.expect(
        ["why", "-e", "prod"], environment: env,
        stderr: """
          error: refused: prod is protected: step 1 needs consent (--yes or type 'prod'); nothing was run
           = 1. why: run sql/why.sql in one transaction on postgres@127.0.0.1:<port>/<db>
           = help: pass --yes, or run it on a terminal and type 'prod'

          """, status: 3, normalizing: DatabaseTests.variable(database))
      try project.write("sql/why.sql", "select note_count();\n")
      let run = try await project.run(["why", "-e", "prod"], environment: env)
      #expect(run.status == 0, "\(run)")
      #expect(try await ProductionSafetyTests.count(database) == "2")
    }
  }
}
