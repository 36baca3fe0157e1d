import CruddurCore
import CruddurPostgres
import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// The run lock is the session's guard: taken before the first step, inside the session's
  /// signal window, so a Ctrl-C while `--wait` waits for another run ends the wait (130)
  /// and nothing runs; without the Ctrl-C the waiting run goes on once the lock is free.
  @Suite struct RunLockWaitTests {
    /// `hold` is marked destructive (so it takes the run lock: an unprotected run does not
    /// classify SQL) and waits at a gate the test holds; `mark` is marked destructive too
    /// and leaves a table behind when it runs.
    static func project() async throws -> (TemporaryProject, String, [String: String]) {
      let database = TestCluster.uniqueDatabaseName("lockwait")
      _ = try await DatabaseTests.cluster.value("create database \(database)")
      let project = try TemporaryProject(files: [
        "cruddur.yml": """
        version: 1
        environments:
          local: { default: true, url: "${TEST_URL}" }
        tasks:
          hold: { sql: sql/hold.sql, destructive: true }
          mark: { sql: sql/mark.sql, destructive: true }
        """,
        "sql/hold.sql": "select pg_advisory_xact_lock(4646) as wait_at_the_run_gate;\n",
        "sql/mark.sql": "create table public.mark (id int);\n",
      ])
      return (project, database, DatabaseTests.environment(database: database))
    }

    static func holdAtGate(_ database: String, _ env: [String: String], _ project: TemporaryProject)
      async throws
      -> (Connection, RunningCruddur)
    {
      let cluster = DatabaseTests.cluster
      let gate = try await Connection.connect(
        try ConnInfo(parsing: ConnectionURL(cluster.url(database: database))))
      _ = try await gate.execute("select pg_advisory_lock(4646)", parameters: [])
      let first = try RunningCruddur.start(["hold"], in: project.path, environment: env)
      #expect(
        try await eventually {
          try await cluster.value(
            "select count(*) from pg_stat_activity where query like '%as wait_at_the_run_gate%' and wait_event_type = 'Lock' and datname = '\(database)'"
          ) == "1"
        }, "\(first.output)")
      return (gate, first)
    }

    static func markExists(_ database: String) async throws -> Bool {
      try await DatabaseTests.cluster.value(
        "select to_regclass('public.mark') is not null", database: database) == "t"
    }

    @Test(
      "Ctrl-C while waiting for the run lock: exit 130, the wait ended, no step run, the holder unharmed"
    )
    func interruptedWait() async throws {
      let (project, database, env) = try await Self.project()
      defer { project.remove() }
      let (gate, first) = try await Self.holdAtGate(database, env, project)
      let waiting = try RunningCruddur.start(
        ["mark", "--wait"], in: project.path, environment: env)
      #expect(
        try await eventually { waiting.output.contains("waiting for another cruddur run") },
        "\(waiting.output)")
      kill(waiting.pid, SIGINT)
      #expect(await waiting.wait() == 130, "\(waiting.output)")
      ExactOutput.expect(
        waiting.output,
        equals:
          "waiting for another cruddur run (pid <first> on host <host>, since <time>) to release local/<db>\n",
        normalizing: DatabaseTests.variable(database) + DatabaseTests.lockHolder(first.pid))
      _ = try await gate.execute("select pg_advisory_unlock(4646)", parameters: [])
      await gate.close()
      #expect(await first.wait() == 0, "\(first.output)")
      #expect(try await !Self.markExists(database), "the interrupted run ran nothing")
    }

    @Test(
      "without the Ctrl-C, the waiting run takes the lock when it is released and runs (the twin)")
    func waitThenRun() async throws {
      let (project, database, env) = try await Self.project()
      defer { project.remove() }
      let (gate, first) = try await Self.holdAtGate(database, env, project)
      let waiting = try RunningCruddur.start(
        ["mark", "--wait"], in: project.path, environment: env)
      #expect(
        try await eventually { waiting.output.contains("waiting for another cruddur run") },
        "\(waiting.output)")
      _ = try await gate.execute("select pg_advisory_unlock(4646)", parameters: [])
      await gate.close()
      #expect(await first.wait() == 0, "\(first.output)")
      #expect(await waiting.wait() == 0, "\(waiting.output)")
      #expect(try await Self.markExists(database))
    }
  }
}
