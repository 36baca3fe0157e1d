import CruddurTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A fleet run is a session, as a run of one database is: its first signal cancels every
/// running target (each rolls back what it was doing) and the run ends 130 with its
/// summary; its second ends the run at once and kills every target's steps, whatever the
/// stop grace. On the suite's one server, three databases of the test's own.
extension DatabaseTests {
  // A backstop against a hang only; each wait in it has its own bound.
  @Suite(.timeLimit(.minutes(15))) struct FleetStopTests {
    /// A project whose fleet `tenants` is three new databases on the suite's server.
    static func fleet(tasks: String) async throws -> TemporaryProject {
      let prefix = TestCluster.uniqueDatabaseName("fleetstop")
      for n in 1...3 { _ = try await DatabaseTests.cluster.query("create database \(prefix)_\(n)") }
      return try TemporaryProject(files: [
        "cruddur.yml": """
        version: 1
        environments:
          tenants:
            server: ["\(DatabaseTests.cluster.url(database: "postgres"))"]
            databases: "\(prefix)_*"
        tasks:
        \(tasks)

        """
      ])
    }

    @Test(
      "Ctrl-C while every target's statement runs: each is cancelled, 130, the summary says interrupted"
    )
    func firstSignalCancels() async throws {
      let marker = "fleet-stop-\(UUID().uuidString.prefix(8))"
      let project = try await Self.fleet(
        tasks: "  nap: { query: \"select pg_sleep(120) -- \(marker)\" }")
      defer { project.remove() }
      let running = try RunningCruddur.start(["nap", "-e", "tenants"], in: project.path)
      let active =
        "select count(*) from pg_stat_activity where query like '%\(marker)%' and state = 'active' and pid <> pg_backend_pid()"
      #expect(
        try await eventually { try await DatabaseTests.cluster.value(active) == "3" },
        "\(running.output)")
      kill(running.pid, SIGINT)
      #expect(await running.wait() == 130, "\(running.output)")
      #expect(running.output.contains("✗ interrupted: 3 targets in "), "\(running.output)")
      #expect(try await eventually { try await DatabaseTests.cluster.value(active) == "0" })
    }

    @Test(
      "a second signal ends a fleet at once while its shell steps ignore SIGTERM under a 600 s grace, and kills them (the first's twin)"
    )
    func secondSignalForces() async throws {
      let project = try await Self.fleet(
        tasks: "  hold: { shell: \"trap '' TERM; exec sleep 3600\" }")
      defer { project.remove() }
      func steps() -> [pid_t] {
        ProcessTable().entries.filter {
          $0.arguments.hasPrefix("sleep 3600") && $0.workingDirectory == project.path
        }.map(\.pid)
      }
      defer { for pid in steps() { kill(pid, SIGKILL) } }
      let running = try RunningCruddur.start(
        ["hold", "-e", "tenants"], in: project.path, environment: ["CRUDDUR_STOP_GRACE": "600"])
      #expect(try await eventually { steps().count == 3 }, "\(running.output)")
      // Two different signals: two of the same, sent at once, may arrive as one.
      kill(running.pid, SIGINT)
      kill(running.pid, SIGTERM)
      // Far less than the grace: only the second signal can end the run within it.
      let status = await running.wait(within: 120)
      if status == nil {
        kill(running.pid, SIGKILL)
        _ = await running.wait()
      }
      #expect(status == 130, "\(running.output)")
      #expect(try await eventually(30) { steps().isEmpty }, "left running: \(steps())")
    }
  }
}
