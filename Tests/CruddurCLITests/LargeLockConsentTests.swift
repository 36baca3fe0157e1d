import CruddurCore
import CruddurPostgres
import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// On a protected environment, ACCESS EXCLUSIVE held while scanning or rewriting a table
  /// of `large_table_rows` rows or more needs consent; a smaller table, or a reasoned
  /// `-- cruddur:allow RULE because …`, does not.
  @Suite struct LargeLockConsentTests {
    static func project(threshold: Int, allow: String = "") async throws -> (
      TemporaryProject, String, [String: String]
    ) {
      let database = TestCluster.uniqueDatabaseName("big")
      _ = try await DatabaseTests.cluster.value("create database \(database)")
      _ = try await DatabaseTests.cluster.value(
        "create table public.t as select g as id from generate_series(1, 1000) g",
        database: database)
      _ = try await DatabaseTests.cluster.value("analyze public.t", database: database)
      let project = try TemporaryProject(files: [
        "cruddur.yml": """
        version: 1
        environments:
          prod: { default: true, protected: true, url: "${TEST_URL}", large_table_rows: \(threshold) }
        tasks:
          db:migrate: { migrate: db/migrations, dump: false }
        """,
        "db/migrations/20261201120000_check.sql":
          "-- migrate:up\n\(allow)alter table public.t add constraint t_positive check (id > 0);\n",
      ])
      return (project, database, DatabaseTests.environment(database: database))
    }

    static func applied(_ database: String) async throws -> String? {
      try await DatabaseTests.cluster.value(
        "select count(*) from pg_constraint where conname = 't_positive'", database: database)
    }

    @Test(
      "a scan under ACCESS EXCLUSIVE of a table over the threshold is refused without consent and named in the plan"
    )
    func largeNeedsConsent() async throws {
      let (project, database, env) = try await Self.project(threshold: 500)
      defer { project.remove() }
      let plan = try await project.run(["plan", "db:migrate", "--check"], environment: env)
      #expect(
        plan.stdout.contains(
          "needs consent on prod: alter table public.t add constraint t_positive check (id ...: scans public.t under ACCESS EXCLUSIVE (add-check, ~1000 rows) (db/migrations/20261201120000_check.sql:2)"
        ), "\(plan)")
      let refused = try await project.run(["db:migrate"], environment: env)
      #expect(refused.status == 3, "\(refused)")
      #expect(try await Self.applied(database) == "0")
      #expect(try await project.run(["db:migrate", "--yes"], environment: env).status == 0)
      #expect(try await Self.applied(database) == "1")
    }

    @Test(
      "below the threshold, or allowed with a reason, it runs without consent; an allow without a reason is ignored"
    )
    func smallOrAllowed() async throws {
      let (small, smallDatabase, smallEnv) = try await Self.project(threshold: 5000)
      defer { small.remove() }
      let run = try await small.run(["db:migrate"], environment: smallEnv)
      #expect(run.status == 0, "\(run)")
      #expect(try await Self.applied(smallDatabase) == "1")

      let (allowed, allowedDatabase, allowedEnv) = try await Self.project(
        threshold: 500,
        allow: "-- cruddur:allow add-check because t is read only by the nightly export\n")
      defer { allowed.remove() }
      let plan = try await allowed.run(["plan", "db:migrate"], environment: allowedEnv)
      #expect(
        plan.stdout.contains(
          "20261201120000_check.sql allowed: add-check on public.t because t is read only by the nightly export (line 2)"
        ),
        "\(plan)")
      #expect(try await allowed.run(["db:migrate"], environment: allowedEnv).status == 0)
      #expect(try await Self.applied(allowedDatabase) == "1")

      let (unreasoned, _, unreasonedEnv) = try await Self.project(
        threshold: 500, allow: "-- cruddur:allow add-check\n")
      defer { unreasoned.remove() }
      let refused = try await unreasoned.run(["db:migrate"], environment: unreasonedEnv)
      #expect(refused.status == 3, "\(refused)")
      let unreasonedPlan = try await unreasoned.run(
        ["plan", "db:migrate"], environment: unreasonedEnv)
      #expect(
        unreasonedPlan.stdout.contains(
          "20261201120000_check.sql ignored: `-- cruddur:allow` without `because REASON` (line 2)"),
        "\(unreasonedPlan)")
    }
  }
}
