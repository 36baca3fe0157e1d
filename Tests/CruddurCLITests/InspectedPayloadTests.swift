import CruddurCore
import CruddurPostgres
import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// `plan --out` saves each step's `Prepared` value as its target says (`Executor.inspect`:
  /// a migrate step's applied and pending migrations), and `apply` compares it as a value
  /// with the one read again, then runs the saved one. A reading edited by hand (the
  /// document's digest made again, so only the payload tells) is refused before anything
  /// runs, however valid what it names.
  @Suite struct InspectedPayloadTests {
    static func project() throws -> TemporaryProject {
      try TemporaryProject(files: [
        "cruddur.yml": """
        version: 1
        environments:
          local: { default: true, url: "${TEST_URL}" }
        tasks:
          db:migrate: { migrate: db/migrations, dump: false }
        """,
        "db/migrations/20261208040000_first.sql":
          "-- migrate:up\ncreate table inspected_first (id int);\n-- migrate:down\ndrop table inspected_first;\n",
        "db/migrations/20261208050000_second.sql":
          "-- migrate:up\ncreate table inspected_second (id int);\n-- migrate:down\ndrop table inspected_second;\n",
      ])
    }

    /// Rows of cruddur's ledger in `database` (0 when it was never made).
    static func ledgerRows(_ database: String) async throws -> Int {
      let cluster = DatabaseTests.cluster
      guard
        try await cluster.value(
          "select to_regclass('cruddur.migrations') is not null", database: database) == "t"
      else { return 0 }
      return Int(
        try await cluster.value("select count(*) from cruddur.migrations", database: database)
          ?? "") ?? -1
    }

    @Test(
      "apply runs the saved reading; hostile: another valid pending set or applied set edited into it is refused and the ledger stays empty"
    )
    func editedReadingRefused() async throws {
      let database = TestCluster.uniqueDatabaseName("inspected")
      _ = try await DatabaseTests.cluster.value("create database \(database)")
      let project = try Self.project()
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      let plan = try await project.run(["plan", "db:migrate", "--out", "p.json"], environment: env)
      #expect(plan.status == 0, "\(plan)")
      let document = try SavedPlanPayloadTests.saved(project, "p.json")
      guard case .object(let value) = document.prepared[0].value,
        case .object(let reading)? = value["reading"]
      else {
        Issue.record("no reading in \(document.prepared)")
        return
      }
      #expect(
        reading["pending"]
          == .array([
            .string("20261208040000_first.sql"), .string("20261208050000_second.sql"),
          ]))
      #expect(reading["applied"] == .array([]))

      // The first migration alone: a pending set the folder could have, not the target's.
      try SavedPlanPayloadTests.write(project, "first.json", document) {
        $0.value = SavedPlanPayloadTests.setting(
          $0.value, ["reading", "pending"], to: .array([.string("20261208040000_first.sql")]))
      }
      try await project.expect(
        ["apply", "first.json"], environment: env,
        stderr: """
          error: refused: `first.json` no longer matches the project (1 change); nothing was run
           = step 1 (db:migrate) changed: apply 1 pending migration of db/migrations (read from the target in a read-only transaction) → apply 2 pending migrations of db/migrations (read from the target in a read-only transaction)
           = help: plan again, review it, and apply the new plan

          """, status: 3)

      // An applied set the target does not have (the plan's own lines left as they were).
      try SavedPlanPayloadTests.write(project, "applied.json", document) {
        $0.value = SavedPlanPayloadTests.setting(
          $0.value, ["reading", "applied"], to: .array([.string("20261208040000 000000000000")]))
      }
      try await project.expect(
        ["apply", "applied.json"], environment: env,
        stderr: """
          error: refused: `applied.json` no longer matches the project (1 change); nothing was run
           = step 1 (db:migrate) changed: apply 2 pending migrations of db/migrations (read from the target in a read-only transaction) → apply 2 pending migrations of db/migrations (read from the target in a read-only transaction)
           = help: plan again, review it, and apply the new plan

          """, status: 3)
      #expect(try await Self.ledgerRows(database) == 0, "no edited plan ran")

      let applied = try await project.run(["apply", "p.json"], environment: env)
      #expect(applied.status == 0, "\(applied)")
      #expect(try await Self.ledgerRows(database) == 2)

      // A reading with every part filled reads back as written (its keys survive the
      // document's snake case), and the run refuses what it says refuses.
      try project.write(
        "db/migrations/20261208040000_first.sql",
        "-- migrate:up\ncreate table inspected_first (id bigint);\n-- migrate:down\ndrop table inspected_first;\n"
      )
      let changed = try await project.run(
        ["plan", "db:migrate", "--out", "changed.json"], environment: env)
      #expect(changed.status == 0, "\(changed)")
      #expect(
        changed.stdout.contains(
          "changed since applied (a run refuses): db/migrations/20261208040000_first.sql"))
      let refused = try await project.run(["apply", "changed.json"], environment: env)
      #expect(refused.status != 0, "\(refused)")
      #expect(
        refused.stderr.contains(
          "refused: db/migrations/20261208040000_first.sql changed since it was applied; nothing was run"
        ),
        "\(refused)")
      #expect(try await Self.ledgerRows(database) == 2)
    }

    @Test(
      "a saved rollback reads which migration it rolls back and runs exactly that one; hostile: the other one edited into its reading is refused, the ledger kept"
    )
    func rollbackReading() async throws {
      let database = TestCluster.uniqueDatabaseName("inspback")
      _ = try await DatabaseTests.cluster.value("create database \(database)")
      let env = DatabaseTests.environment(database: database)
      let project = try Self.project()
      defer { project.remove() }
      try project.write(
        "cruddur.yml",
        """
        version: 1
        environments:
          local: { default: true, url: "${TEST_URL}" }
        tasks:
          db:migrate: { migrate: db/migrations, dump: false }
          db:rollback: { migrate: db/migrations, mode: rollback, dump: false }
        """)
      #expect(try await project.run(["db:migrate"], environment: env).status == 0)
      let plan = try await project.run(
        ["plan", "db:rollback", "--out", "r.json"], environment: env)
      #expect(plan.status == 0, "\(plan)")
      #expect(plan.stdout.contains("20261208050000_second.sql  down block"), "\(plan)")
      let document = try SavedPlanPayloadTests.saved(project, "r.json")
      try SavedPlanPayloadTests.write(project, "first.json", document) {
        $0.value = SavedPlanPayloadTests.setting(
          $0.value, ["reading", "rolledBack"],
          to: .array([
            .object([
              "version": .string("20261208040000"), "name": .string("first"),
              "fileName": .string("20261208040000_first.sql"), "hasDown": .bool(true),
            ])
          ]))
      }
      let refused = try await project.run(["apply", "first.json"], environment: env)
      #expect(refused.status == 3, "\(refused)")
      #expect(
        refused.stderr.hasPrefix(
          "error: refused: `first.json` no longer matches the project (1 change); nothing was run\n"
        ),
        "\(refused)")
      #expect(try await Self.ledgerRows(database) == 2)

      let applied = try await project.run(["apply", "r.json"], environment: env)
      #expect(applied.status == 0, "\(applied)")
      #expect(try await Self.ledgerRows(database) == 1)
      #expect(
        try await DatabaseTests.cluster.value(
          "select to_regclass('public.inspected_second') is null and to_regclass('public.inspected_first') is not null",
          database: database) == "t")
    }

    @Test(
      "a migration added while apply waits for the run lock is not run: the saved value pins the folder's files, and the run refuses the one it does not name; hostile twin: without it the plan runs"
    )
    func fileAddedAfterTheCheckRefused() async throws {
      let database = TestCluster.uniqueDatabaseName("pinned")
      _ = try await DatabaseTests.cluster.value("create database \(database)")
      let env = DatabaseTests.environment(database: database)
      // `destructive: true` makes the session take the run lock before the step reads the
      // folder; `hold` keeps it, at a gate the test opens (RunLockWaitTests').
      let project = try TemporaryProject(files: [
        "cruddur.yml": """
        version: 1
        environments:
          local: { default: true, url: "${TEST_URL}" }
        tasks:
          db:migrate: { migrate: db/migrations, dump: false, destructive: true }
          hold: { sql: sql/hold.sql, destructive: true }
        """,
        "sql/hold.sql": "select pg_advisory_xact_lock(4646) as wait_at_the_run_gate;\n",
        "db/migrations/20261208060000_pinned.sql":
          "-- migrate:up\ncreate table pinned_t (id int);\n-- migrate:down\ndrop table pinned_t;\n",
      ])
      defer { project.remove() }
      let plan = try await project.run(["plan", "db:migrate", "--out", "m.json"], environment: env)
      #expect(plan.status == 0, "\(plan)")

      let (gate, first) = try await RunLockWaitTests.holdAtGate(database, env, project)
      let waiting = try RunningCruddur.start(
        ["apply", "m.json", "--wait"], in: project.path, environment: env)
      #expect(
        try await eventually { waiting.output.contains("waiting for another cruddur run") },
        "\(waiting.output)")
      // Checked already, not yet run: a file the plan never saw.
      let added = "db/migrations/20261208070000_added.sql"
      try project.write(added, "-- migrate:up\ncreate table added_t (id int);\n")
      _ = try await gate.execute("select pg_advisory_unlock(4646)", parameters: [])
      await gate.close()
      #expect(await first.wait() == 0, "\(first.output)")
      #expect(await waiting.wait() != 0, "\(waiting.output)")
      #expect(
        waiting.output.contains(
          "error: refused: \(added) changed after it was planned; nothing was run"),
        "\(waiting.output)")
      #expect(try await Self.ledgerRows(database) == 0, "nothing migrated")

      try FileManager.default.removeItem(atPath: project.path + "/" + added)
      let applied = try await project.run(["apply", "m.json"], environment: env)
      #expect(applied.status == 0, "\(applied)")
      #expect(try await Self.ledgerRows(database) == 1)
    }
  }
}
