import CruddurCore
import CruddurPostgres
import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// A concurrent unique index build that fails leaves an INVALID index, which `IF NOT
  /// EXISTS` would skip forever: cruddur names it, lists it in `plan --check`, and the next
  /// run drops it concurrently and builds it again (with consent on a protected environment).
  @Suite struct InvalidIndexTests {
    static let migration = """
      -- migrate:up transaction:false
      create unique index concurrently if not exists t_code_uq on public.t (code);
      """

    static func project() async throws -> (TemporaryProject, String, [String: String]) {
      let database = TestCluster.uniqueDatabaseName("inv")
      _ = try await DatabaseTests.cluster.value("create database \(database)")
      // Two rows share a code: the unique build fails after its index exists in the catalog.
      _ = try await DatabaseTests.cluster.value(
        "create table public.t as select g as id, (g % 999)::text as code from generate_series(1, 1000) g",
        database: database)
      let project = try TemporaryProject(files: [
        "cruddur.yml": """
        version: 1
        environments:
          local: { default: true, url: "${TEST_URL}" }
          prod: { protected: true, url: "${TEST_URL}" }
        include: [tasks/*.yml]
        """,
        "tasks/db.yml": "tasks:\n  db:migrate: { migrate: ../db/migrations, dump: false }\n",
        "db/migrations/20261201120000_code_index.sql": migration,
      ])
      return (project, database, DatabaseTests.environment(database: database))
    }

    static func indexes(_ database: String) async throws -> [[String?]] {
      try await DatabaseTests.cluster.query(
        """
        select c.relname, i.indisvalid::text from pg_index i join pg_class c on c.oid = i.indexrelid
        where c.relname like 't_code_uq%' order by 1
        """, database: database)
    }

    @Test(
      "the failed build's INVALID index is named; the rerun drops and rebuilds it: valid, exactly one"
    )
    func failedThenRebuilt() async throws {
      let (project, database, env) = try await Self.project()
      defer { project.remove() }
      let failed = try await project.run(["db:migrate"], environment: env)
      #expect(failed.status == 1, "\(failed)")
      #expect(
        failed.stderr.contains("could not create unique index \"t_code_uq\"  [SQLSTATE 23505]"),
        "\(failed)")
      #expect(
        failed.stderr.contains(
          "= index public.t_code_uq was left INVALID (pg_index.indisvalid = false); the next run drops it concurrently and builds it again"
        ),
        "\(failed)")
      #expect(try await Self.indexes(database) == [["t_code_uq", "false"]])

      let check = try await project.run(["plan", "db:migrate", "--check"], environment: env)
      #expect(
        check.stdout.contains(
          "INVALID index on the target (a failed concurrent build): public.t_code_uq"), "\(check)")

      _ = try await DatabaseTests.cluster.value(
        "delete from public.t where id = 1000", database: database)
      try await project.expect(
        ["db:migrate"], environment: env,
        stdout: """
          cruddur db:migrate on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
          == db:migrate apply pending migrations of db/migrations (1 file)
          index public.t_code_uq is INVALID (a failed concurrent build left it): dropping it concurrently to build it again
          applied 20261201120000_code_index.sql in <duration>
          1 migration applied
             done in <duration>
          ✓ 1 step done in <duration>

          """, normalizing: DatabaseTests.variable(database))
      #expect(try await Self.indexes(database) == [["t_code_uq", "true"]])
      #expect(
        try await DatabaseTests.cluster.value(
          "select count(*) from cruddur.migrations", database: database) == "1")
    }

    @Test(
      "on a protected environment the drop needs consent: refused without it, listed in the plan, done with --yes"
    )
    func protectedNeedsConsent() async throws {
      let (project, database, env) = try await Self.project()
      defer { project.remove() }
      #expect(try await project.run(["db:migrate"], environment: env).status == 1)
      _ = try await DatabaseTests.cluster.value(
        "delete from public.t where id = 1000", database: database)

      let refused = try await project.run(["db:migrate", "-e", "prod"], environment: env)
      #expect(refused.status == 3, "\(refused)")
      #expect(
        refused.stderr.contains("error: refused: prod is protected: step 1 needs consent"),
        "\(refused)")
      let plan = try await project.run(
        ["plan", "db:migrate", "-e", "prod", "--check"], environment: env)
      #expect(
        plan.stdout.contains(
          "destructive: drop index concurrently public.t_code_uq (INVALID, then built again) (db/migrations/20261201120000_code_index.sql)"
        ),
        "\(plan)")
      #expect(
        try await Self.indexes(database) == [["t_code_uq", "false"]],
        "nothing dropped without consent")

      let done = try await project.run(["db:migrate", "-e", "prod", "--yes"], environment: env)
      #expect(done.status == 0, "\(done)")
      #expect(try await Self.indexes(database) == [["t_code_uq", "true"]])
    }
  }
}
