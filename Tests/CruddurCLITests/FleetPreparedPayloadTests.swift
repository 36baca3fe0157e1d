import CruddurCore
import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// `apply` of a fleet's saved plan reads each step's saved `Prepared` value with the step's
  /// executor, compares it as a value with the one made again on the target it was made
  /// on, and runs the saved one: a payload edited by hand (its document digest made again,
  /// so only the payload tells) is refused, and nothing runs on any target. Each test makes
  /// databases of its own on the suite's server (a fleet of one server) and drops them.
  @Suite struct FleetPreparedPayloadTests {
    /// A fleet of `count` new databases named `PREFIX_n`, and the environment that reaches it.
    static func fleet(_ prefix: String, count: Int = 3) async throws -> (
      names: [String], environment: [String: String]
    ) {
      let names = (1...count).map { "\(prefix)_\($0)" }
      for name in names { _ = try await DatabaseTests.cluster.query("create database \(name)") }
      let url = DatabaseTests.cluster.url(database: "postgres")
      return (names, ["TEST_URL": url, "ONE_URL": url])
    }

    static func drop(_ names: [String]) async throws {
      for name in names { _ = try await DatabaseTests.cluster.query("drop database \(name)") }
    }

    static func project(_ prefix: String, tasks: String, files: [String: String]) throws
      -> TemporaryProject
    {
      var all = files
      all["cruddur.yml"] = """
        version: 1
        environments:
          tenants: { server: "${TEST_URL}", databases: "\(prefix)_*" }
          one: { url: "${ONE_URL}" }
        tasks:
        \(tasks)
        """
      return try TemporaryProject(files: all)
    }

    /// `value` of `sql` in each database of `names`.
    static func values(_ sql: String, _ names: [String]) async throws -> [String] {
      var out: [String] = []
      for name in names {
        out.append(try await DatabaseTests.cluster.value(sql, database: name) ?? "null")
      }
      return out
    }

    /// Rows of cruddur's ledger in each database of `names` (0 where it was never made).
    static func ledgerRows(_ names: [String]) async throws -> [Int] {
      var rows: [Int] = []
      for name in names {
        let cluster = DatabaseTests.cluster
        let made = try await cluster.value(
          "select to_regclass('cruddur.migrations') is not null", database: name)
        let count =
          made == "t"
          ? try await cluster.value("select count(*) from cruddur.migrations", database: name) : "0"
        rows.append(count.flatMap { Int($0) } ?? -1)
      }
      return rows
    }

    @Test(
      "fleet apply runs the saved payloads; hostile: a pinned digest or a valid other value edited into a payload is refused, nothing runs on any target"
    )
    func editedPayloadRefusedOnEveryTarget() async throws {
      let prefix = TestCluster.uniqueDatabaseName("fpay")
      let (names, env) = try await Self.fleet(prefix)
      let project = try Self.project(
        prefix, tasks: "  fleet:add: { sql: add.sql }",
        files: [
          "add.sql": "create table fleet_payload (id int);\ninsert into fleet_payload values (1);\n"
        ])
      defer { project.remove() }
      let plan = try await project.run(
        ["plan", "fleet:add", "-e", "tenants", "--out", "p.json"], environment: env)
      #expect(plan.status == 0, "\(plan)")
      let document = try SavedPlanPayloadTests.saved(project, "p.json")
      #expect(document.fleet?.targets.count == 3 && document.prepared.map(\.executor) == ["sql"])
      let digest = try #require(document.plan.steps.first?.description.files.first?.sha256)

      // The digest the payload pins, edited alone: the plan's lines still show the file's.
      try SavedPlanPayloadTests.write(project, "digest.json", document) {
        $0.value = SavedPlanPayloadTests.setting(
          $0.value, ["contents", "sha256"], to: .string(String(repeating: "0", count: 64)))
      }
      try await project.expect(
        ["apply", "digest.json"], environment: env,
        stderr: """
          error: `digest.json` step 1 (fleet:add): its prepared value pins add.sql (sha256 000000000000…); the plan shows add.sql (sha256 \(digest.prefix(12))…); nothing was run
           = help: a saved plan is applied exactly as `cruddur plan --out` wrote it; plan again instead of editing it

          """, status: 3)

      // A value of its type that the step made now does not have: the file outside a transaction.
      try SavedPlanPayloadTests.write(project, "tx.json", document) {
        $0.value = SavedPlanPayloadTests.setting($0.value, ["inTransaction"], to: .bool(false))
      }
      try await project.expect(
        ["apply", "tx.json"], environment: env,
        stderr: """
          error: refused: `tx.json` no longer matches the project (1 change); nothing was run
           = step 1 (fleet:add) changed: run add.sql statement by statement → run add.sql in one transaction
           = help: plan again, review it, and apply the new plan

          """, status: 3)
      // One the summary does not show: how often a lock timeout is retried.
      try SavedPlanPayloadTests.write(project, "retries.json", document) {
        $0.value = SavedPlanPayloadTests.setting(
          $0.value, ["timeouts", "retries"], to: .integer(0))
      }
      try await project.expect(
        ["apply", "retries.json"], environment: env,
        stderr: """
          error: refused: `retries.json` no longer matches the project (1 change); nothing was run
           = step 1 (fleet:add) changed: its prepared `timeouts.retries` is not the one made now
           = help: plan again, review it, and apply the new plan

          """, status: 3)
      #expect(
        try await Self.values("select to_regclass('public.fleet_payload') is null", names)
          == ["t", "t", "t"], "no edited plan ran on any target")

      let applied = try await project.run(["apply", "p.json"], environment: env)
      #expect(applied.status == 0, "\(applied)")
      #expect(
        try await Self.values("select count(*) from fleet_payload", names) == ["1", "1", "1"])
      try await Self.drop(names)
    }

    @Test(
      "a fleet rollback plan whose payload says two steps back (the plan one) is refused and every ledger keeps its rows; hostile twin: the plan as written rolls back one on each target"
    )
    func editedRollbackCountRefused() async throws {
      let prefix = TestCluster.uniqueDatabaseName("fback")
      let (names, env) = try await Self.fleet(prefix, count: 2)
      let project = try Self.project(
        prefix,
        tasks: """
            db:migrate: { migrate: db/migrations, dump: false }
            db:rollback: { migrate: db/migrations, mode: rollback, dump: false }
          """,
        files: [
          "db/migrations/20261208010000_first.sql":
            "-- migrate:up\ncreate table back_first (id int);\n-- migrate:down\ndrop table back_first;\n",
          "db/migrations/20261208020000_second.sql":
            "-- migrate:up\ncreate table back_second (id int);\n-- migrate:down\ndrop table back_second;\n",
        ])
      defer { project.remove() }
      let migrated = try await project.run(["db:migrate", "-e", "tenants"], environment: env)
      #expect(migrated.status == 0, "\(migrated)")
      let ledger = "select count(*) from cruddur.migrations"
      #expect(try await Self.values(ledger, names) == ["2", "2"])

      let plan = try await project.run(
        ["plan", "db:rollback", "-e", "tenants", "--out", "back.json"], environment: env)
      #expect(plan.status == 0, "\(plan)")
      let document = try SavedPlanPayloadTests.saved(project, "back.json")
      try SavedPlanPayloadTests.write(project, "two.json", document) {
        $0.value = SavedPlanPayloadTests.setting($0.value, ["stepCount"], to: .integer(2))
      }
      try await project.expect(
        ["apply", "two.json"], environment: env,
        stderr: """
          error: refused: `two.json` no longer matches the project (1 change); nothing was run
           = step 1 (db:rollback) changed: roll back the last 2 applied migrations of db/migrations → roll back the last applied migration of db/migrations
           = help: plan again, review it, and apply the new plan

          """, status: 3)
      #expect(try await Self.values(ledger, names) == ["2", "2"], "nothing rolled back")

      let applied = try await project.run(["apply", "back.json"], environment: env)
      #expect(applied.status == 0, "\(applied)")
      #expect(try await Self.values(ledger, names) == ["1", "1"])
      #expect(
        try await Self.values("select to_regclass('public.back_second') is null", names) == [
          "t", "t",
        ])
      try await Self.drop(names)
    }

    @Test(
      "hostile: the target the saved values were prepared on is gone: nothing can check them, so the plan is refused even with --skip-drifted; twin: another target gone, --skip-drifted runs the rest"
    )
    func preparedOnTargetGone() async throws {
      let prefix = TestCluster.uniqueDatabaseName("fgone")
      let (names, env) = try await Self.fleet(prefix)
      let project = try Self.project(
        prefix, tasks: "  fleet:add: { sql: add.sql }",
        files: ["add.sql": "create table gone_payload (id int);\n"])
      defer { project.remove() }
      let plan = try await project.run(
        ["plan", "fleet:add", "-e", "tenants", "--out", "p.json"], environment: env)
      #expect(plan.status == 0, "\(plan)")
      let document = try SavedPlanPayloadTests.saved(project, "p.json")
      let labels = try #require(document.fleet?.targets.map(\.label))
      let port = DatabaseTests.cluster.port
      #expect(labels == names.map { "127.0.0.1:\(port)/\($0)" })

      // Another target gone: named as drifted, the rest run.
      _ = try await DatabaseTests.cluster.query("drop database \(names[2])")
      let skipping = try await project.run(
        ["apply", "p.json", "--skip-drifted"], environment: env)
      #expect(skipping.status == 0, "\(skipping)")
      #expect(
        try await Self.values(
          "select to_regclass('public.gone_payload') is not null", Array(names.prefix(2)))
          == ["t", "t"])

      // The first, whose values the plan holds: refused whole, naming it.
      let again = try await project.run(
        ["plan", "fleet:add", "-e", "tenants", "--out", "q.json"], environment: env)
      #expect(again.status == 0, "\(again)")
      _ = try await DatabaseTests.cluster.query("drop database \(names[0])")
      try await project.expect(
        ["apply", "q.json", "--skip-drifted"], environment: env,
        stderr: """
          error: refused: `q.json` no longer matches the project (1 change); nothing was run
           = 127.0.0.1:\(port)/\(names[0]), which the plan's steps were prepared on, is gone from the fleet
           = help: plan again, review it, and apply the new plan

          """, status: 3)
      try await Self.drop([names[1]])
    }

    @Test(
      "fleet apply of a migrate plan where one target was migrated by hand since: only that target is named, with its ledger; --skip-drifted migrates the others once each"
    )
    func oneDriftedTargetRefused() async throws {
      let prefix = TestCluster.uniqueDatabaseName("fdrift")
      let (names, env) = try await Self.fleet(prefix)
      let project = try Self.project(
        prefix, tasks: "  db:migrate: { migrate: db/migrations, dump: false }",
        files: [
          "db/migrations/20261208030000_drift.sql":
            "-- migrate:up\ncreate table drift_t (id int);\n-- migrate:down\ndrop table drift_t;\n"
        ])
      defer { project.remove() }
      let plan = try await project.run(
        ["plan", "db:migrate", "-e", "tenants", "--out", "m.json"], environment: env)
      #expect(plan.status == 0, "\(plan)")
      var byHand = env
      byHand["ONE_URL"] = DatabaseTests.cluster.url(database: names[1])
      let hand = try await project.run(["db:migrate", "-e", "one"], environment: byHand)
      #expect(hand.status == 0, "\(hand)")

      let label = "127.0.0.1:\(DatabaseTests.cluster.port)/\(names[1])"
      let refused = try await project.run(["apply", "m.json"], environment: env)
      #expect(refused.status == 3, "\(refused)")
      #expect(
        refused.stderr.hasPrefix(
          """
          error: refused: 1 of the 3 targets planned in `m.json` drifted since the plan; nothing was run
           = \(label): step 1 (db:migrate): the target moved since the plan: it recorded nothing, now 20261208030000 
          """), "\(refused)")
      #expect(try await Self.ledgerRows(names) == [0, 1, 0])

      let skipping = try await project.run(["apply", "m.json", "--skip-drifted"], environment: env)
      #expect(skipping.status == 0, "\(skipping)")
      #expect(
        skipping.stderr.hasPrefix(
          "skipped 1 drifted target (--skip-drifted):\n  \(label): step 1 (db:migrate): the target moved since the plan"
        ), "\(skipping)")
      #expect(try await Self.ledgerRows(names) == [1, 1, 1])
      try await Self.drop(names)
    }
  }
}
