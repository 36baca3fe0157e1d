import CruddurTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Fault injection for "a stop that stops": a signal while connecting to a server that
/// never answers the handshake, and while a statement runs on a server that then stops
/// answering (the cancel request too). Each run ends, with nothing of it left running.
extension DatabaseTests {
  // A backstop against a hang only (it also counts time queued behind the parallel suite):
  // each wait in it has its own bound.
  @Suite(.timeLimit(.minutes(15))) struct StopTests {
    static func project(url: String) throws -> TemporaryProject {
      try TemporaryProject(files: [
        "cruddur.yml": """
        version: 1
        environments:
          local: { default: true, url: "\(url)" }
        tasks:
          ask: { query: "select 1" }
          sleep: { query: "select pg_sleep(120) -- stop-test-hung-server" }

        """
      ])
    }

    @Test(
      "INT, TERM or HUP during a handshake that never ends (connect_timeout=0) ends the run at once",
      arguments: [SIGINT, SIGTERM, SIGHUP])
    func duringHandshake(_ signal: Int32) async throws {
      let proxy = try TCPProxy()
      defer { proxy.stop() }
      let project = try Self.project(url: "postgresql://postgres:pw@127.0.0.1:\(proxy.port)/app?connect_timeout=0")
      defer { project.remove() }
      let running = try RunningCruddur.start(["ask"], in: project.path)
      #expect(try await eventually { proxy.accepted >= 1 }, "\(running.output)")
      kill(running.pid, signal)
      // Before, the connect could not be cancelled: with no connect timeout it never ended.
      #expect(await running.wait() == 130, "\(running.output)")
      #expect(!running.output.contains("cannot connect"), "\(running.output)")
      #expect(try await eventually { proxy.closedByClient >= 1 })
    }

    @Test("a cancel the server never answers: after the grace the socket is shut, the run ends and says so")
    func hungServer() async throws {
      let database = TestCluster.uniqueDatabaseName("hung")
      _ = try await DatabaseTests.cluster.query("create database \(database)")
      let proxy = try TCPProxy(forwardingTo: Int(DatabaseTests.cluster.port)!)
      defer { proxy.stop() }
      let url =
        DatabaseTests.cluster.url(database: database)
        .replacingOccurrences(of: ":\(DatabaseTests.cluster.port)/", with: ":\(proxy.port)/") + "?sslmode=disable"
      let project = try Self.project(url: url)
      defer { project.remove() }
      let running = try RunningCruddur.start(["sleep"], in: project.path)
      let active =
        "select count(*) from pg_stat_activity where query like '%stop-test-hung-server%' and state = 'active' and pid <> pg_backend_pid()"
      #expect(
        try await eventually { try await DatabaseTests.cluster.value(active, database: database) == "1" }, "\(running.output)")
      proxy.freeze()
      kill(running.pid, SIGINT)
      #expect(await running.wait() == 130, "\(running.output)")
      #expect(
        running.output.contains("the server did not stop the statement within 5 s of the cancel request; connection closed"),
        "\(running.output)")
      // The server never saw the cancel: its backend still sleeps, for the test to end.
      _ = try await DatabaseTests.cluster.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where query like '%stop-test-hung-server%' and pid <> pg_backend_pid()",
        database: database)
    }
  }
}

extension DatabaseTests.StopTests {
  @Test("Ctrl-C while the connect for a DROP DATABASE is held: the handshake completing later runs nothing; the database stays")
  func dropAfterHeldConnect() async throws {
    let database = TestCluster.uniqueDatabaseName("held")
    _ = try await DatabaseTests.cluster.query("create database \(database)")
    let proxy = try TCPProxy(forwardingTo: Int(DatabaseTests.cluster.port)!, holding: true)
    defer { proxy.stop() }
    let url =
      DatabaseTests.cluster.url(database: database)
      .replacingOccurrences(of: ":\(DatabaseTests.cluster.port)/", with: ":\(proxy.port)/")
      // A connect deadline longer than the test's own waits: only the signal can end it, even
      // when the whole suite's load slows the test down past cruddur's default 10 s.
      + "?sslmode=disable&connect_timeout=600"
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local: { default: true, url: "\(url)" }
      tasks:
        drop: { database: drop }

      """
    ])
    defer { project.remove() }
    let running = try RunningCruddur.start(["drop"], in: project.path)
    #expect(try await eventually { proxy.accepted >= 1 }, "\(running.output)")
    kill(running.pid, SIGINT)
    // The stopped connect lets go of its socket; before, it went on once the server
    // answered, and the DROP ran after the stop.
    #expect(try await eventually { proxy.closedByClient >= 1 }, "\(running.output)")
    proxy.release()
    #expect(await running.wait() == 130, "\(running.output)")
    #expect(try await DatabaseTests.cluster.databaseExists(database), "\(running.output)")
    _ = try await DatabaseTests.cluster.query("drop database \(database)")
  }
}
