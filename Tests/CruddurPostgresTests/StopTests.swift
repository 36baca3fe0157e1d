import CruddurCore
import CruddurTestSupport
import Foundation
import Testing

@testable import CruddurPostgres

#if canImport(Glibc)
  import Glibc
#endif

/// After a stop no libpq call starts on the connection, and every TCP connection has
/// keepalives and a user timeout.
extension PostgresLoaderTests {
  @Suite struct StopTests {
    static func connect(_ database: String) async throws -> Connection {
      let info = try ConnInfo(parsing: ConnectionURL(PostgresLoaderTests.cluster.url(database: database)))
      return try await Connection.connect(info, applicationName: "cruddur-stop-tests")
    }

    @Test("a call queued behind a running statement and stopped before its turn never starts; the running one is cancelled")
    func queuedCallNeverStarts() async throws {
      let database = try await PostgresLoaderTests.createDatabase("stopq")
      let connection = try await Self.connect(database)
      defer { Task { await connection.close() } }
      let running = Task { try await connection.execute("select pg_sleep(60) -- stop-test-marker") }
      let seen = try await eventually {
        try await PostgresLoaderTests.cluster.value(
          "select count(*) from pg_stat_activity where query like '%stop-test-marker%' and state = 'active' and pid <> pg_backend_pid()",
          database: database) == "1"
      }
      #expect(seen)
      let queued = Task { try await connection.execute("create table must_not_exist (id int)") }
      // The queued call is behind the sleep on the connection's queue; stopping it must
      // not cancel the sleep (that is the other task's) nor let it start later.
      queued.cancel()
      await #expect(throws: CancellationError.self) { _ = try await queued.value }
      #expect(
        try await PostgresLoaderTests.cluster.value(
          "select count(*) from pg_stat_activity where query like '%stop-test-marker%' and state = 'active' and pid <> pg_backend_pid()",
          database: database) == "1")
      running.cancel()
      await #expect(throws: (any Error).self) { _ = try await running.value }
      #expect(
        try await PostgresLoaderTests.cluster.value("select to_regclass('must_not_exist') is null", database: database) == "t")
    }

    @Test("a stopped task starts no call at all")
    func stoppedTaskStartsNothing() async throws {
      let database = try await PostgresLoaderTests.createDatabase("stopt")
      let connection = try await Self.connect(database)
      defer { Task { await connection.close() } }
      let task = Task {
        withUnsafeCurrentTask { $0?.cancel() }
        return try await connection.execute("create table must_not_exist (id int)")
      }
      await #expect(throws: CancellationError.self) { _ = try await task.value }
      #expect(
        try await PostgresLoaderTests.cluster.value("select to_regclass('must_not_exist') is null", database: database) == "t")
    }

    @Test("a TCP connection has keepalives on and a 60 s user timeout")
    func keepalives() async throws {
      let connection = try await Self.connect("postgres")
      defer { Task { await connection.close() } }
      var value: Int32 = 0
      var length = socklen_t(MemoryLayout<Int32>.size)
      #expect(getsockopt(connection.socket, SOL_SOCKET, SO_KEEPALIVE, &value, &length) == 0)
      #expect(value == 1)
      // TCP_USER_TIMEOUT is 18 on Linux.
      #expect(getsockopt(connection.socket, Int32(IPPROTO_TCP), 18, &value, &length) == 0)
      #expect(value == 60000)
    }
  }
}

/// Asks until `condition` holds or 90 s pass; each try is a real round trip. The bound
/// only decides when a failing test gives up: generous, for a loaded 2-core machine.
func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
  let deadline = ContinuousClock.now + .seconds(90)
  while ContinuousClock.now < deadline {
    if try await condition() { return true }
    await Task.yield()
  }
  return false
}
