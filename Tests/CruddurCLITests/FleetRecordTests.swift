import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// A fleet target's outcome record is written in the transaction of its last step where
  /// there is one, so no crash between that COMMIT and a later write can leave a finished
  /// target recorded as unfinished. Proved on the server: the record's `finished_at` (`now()`,
  /// the start of the transaction writing it, the same in its savepoints) equals the time the
  /// step's own rows were written with, which a record written after the COMMIT could not.
  /// Hostile twins: a step without a transaction (the record comes after it, in its own), a
  /// failing last step (recorded failed, never done).
  @Suite struct FleetRecordTests {
    var cluster: TestCluster { DatabaseTests.cluster }

    /// Three fresh databases named `prefix_1`… and a project whose fleet `tenants` is them.
    func fleet(_ tasks: String, files: [String: String] = [:]) async throws -> (
      TemporaryProject, [String], [String: String]
    ) {
      let prefix = TestCluster.uniqueDatabaseName("rec")
      let names = (1...3).map { "\(prefix)_\($0)" }
      for name in names { _ = try await cluster.query("create database \(name)") }
      var all = files
      all["cruddur.yml"] = """
        version: 1
        environments:
          tenants: { server: "${SERVER_URL}", databases: "\(prefix)_*" }
        tasks:
        \(tasks)
        """
      return (
        try TemporaryProject(files: all), names,
        ["SERVER_URL": cluster.url(database: "postgres")]
      )
    }

    func drop(_ names: [String]) async {
      for name in names {
        _ = try? await cluster.query("drop database if exists \(name) with (force)")
      }
    }

    /// The record's transaction start and outcome on `database`, for run `runID`.
    func record(_ database: String, _ runID: String) async throws -> (
      at: String?, outcome: String?
    ) {
      let row = try await cluster.query(
        "select finished_at::text, outcome from cruddur.fleet_runs where run_id = '\(runID)'",
        database: database
      ).first
      return (row?[0] ?? nil, row?[1] ?? nil)
    }

    @Test(
      "migrate: the record is in the last migration's transaction (the time of its ledger row), not the first's"
    )
    func migrateRecordInTransaction() async throws {
      let (project, names, environment) = try await fleet(
        "  db:migrate: { migrate: db/migrations, dump: false }",
        files: [
          "db/migrations/20261207150000_one.sql": "-- migrate:up\ncreate table one (id int);\n",
          "db/migrations/20261207160000_two.sql": "-- migrate:up\ncreate table two (id int);\n",
        ])
      defer { project.remove() }
      let result = try await project.run(
        ["db:migrate", "-e", "tenants", "--run-id", "in-tx", "-q"], environment: environment)
      #expect(result.status == 0, "\(result)")
      for name in names {
        let (at, outcome) = try await record(name, "in-tx")
        #expect(outcome == "done", "\(name)")
        let ledger = try await cluster.query(
          "select version, applied_at::text from cruddur.migrations order by version",
          database: name)
        #expect(ledger.count == 2, "\(name): \(ledger)")
        #expect(
          at != nil && at == ledger.last?[1], "\(name): record \(at ?? "-"), ledger \(ledger)"
        )
        #expect(at != ledger.first?[1], "\(name)")
      }
      await drop(names)
    }

    @Test(
      "sql in one transaction: the record has the time of the row the file wrote; without a transaction it comes after, still done"
    )
    func sqlRecordInTransaction() async throws {
      let (project, names, environment) = try await fleet(
        """
          made:add: { sql: made.sql }
          loose:add: { sql: loose.sql, transaction: false }
        """,
        files: [
          "made.sql":
            "create table made (at timestamptz default now());\ninsert into made default values;\n",
          "loose.sql":
            "create table loose (at timestamptz default now());\ninsert into loose default values;\n",
        ])
      defer { project.remove() }
      let inTx = try await project.run(
        ["made:add", "-e", "tenants", "--run-id", "sql-tx", "-q"], environment: environment)
      #expect(inTx.status == 0, "\(inTx)")
      let loose = try await project.run(
        ["loose:add", "-e", "tenants", "--run-id", "sql-loose", "-q"], environment: environment)
      #expect(loose.status == 0, "\(loose)")
      for name in names {
        let made = try await cluster.value(
          "select at::text from made", database: name)
        let (at, outcome) = try await record(name, "sql-tx")
        #expect(
          outcome == "done" && at != nil && at == made,
          "\(name): \(at ?? "-") vs \(made ?? "-")")
        let table = try await cluster.value(
          "select at::text from loose", database: name)
        let after = try await record(name, "sql-loose")
        #expect(after.outcome == "done" && after.at != nil && after.at != table, "\(name)")
      }
      await drop(names)
    }

    @Test(
      "hostile: a failing last step is recorded failed, and its transaction left no done record")
    func failingStepRecordedFailed() async throws {
      let (project, names, environment) = try await fleet(
        "  bad:add: { sql: bad.sql }",
        files: [
          "bad.sql":
            "create table bad (id int);\nselect 1 / (select count(*) - count(*) from bad);\n"
        ])
      defer { project.remove() }
      let result = try await project.run(
        ["bad:add", "-e", "tenants", "--run-id", "bad-tx", "-q"], environment: environment)
      #expect(result.status == 1, "\(result)")
      for name in names {
        #expect(try await record(name, "bad-tx").outcome == "failed", "\(name)")
        #expect(
          try await cluster.value("select to_regclass('public.bad') is null", database: name) == "t"
        )
      }
      await drop(names)
    }
  }
}
