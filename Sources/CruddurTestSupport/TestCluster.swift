import CruddurCore
import CruddurPostgres
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A PostgreSQL server for one test run: `LocalCluster` (the code behind `cruddur local`)
/// in a temp folder, on a free loopback port, with a password tests can search output for.
public struct TestCluster: Sendable {
  public static let user = "postgres"
  /// Distinctive so a test can assert it never appears in any output.
  public static let password = "Pw-s3cret-91x"

  public let directory: TemporaryDirectory
  public let cluster: LocalCluster

  @TaskLocal public static var current: TestCluster?

  /// The cluster of the enclosing `.postgresCluster` suite; a test outside one is a
  /// mistake in the test, not a condition to handle.
  public static var required: TestCluster {
    guard let current else { fatalError("this test must be nested in a suite with the .postgresCluster trait") }
    return current
  }

  public static func start() throws -> TestCluster {
    let directory = try TemporaryDirectory(prefix: "cruddur-cluster")
    let port = try freePort()
    var cluster = LocalCluster(
      directory: directory.path + "/pg", user: user, password: password, port: String(port), marksProject: false)
    // Suites run in parallel on this one server (a lock test's second session, fleet runs,
    // the migration tests' concurrent runs): the default 100 connections ran out.
    cluster.serverSettings = ["max_connections": "400"]
    try cluster.start()
    return TestCluster(directory: directory, cluster: cluster)
  }

  public func stop() {
    _ = try? cluster.stop()
    directory.remove()
  }

  public var port: String { cluster.port }

  /// A URL for a database on this server.
  public func url(database: String) -> String {
    "postgresql://\(Self.user):\(Self.password)@127.0.0.1:\(port)/\(database)"
  }

  /// Runs one query over a separate connection and returns the rows.
  public func query(_ sql: String, database: String = "postgres") async throws -> [[String?]] {
    let info = try ConnInfo(parsing: ConnectionURL(url(database: database)))
    let connection = try await Connection.connect(info, applicationName: "cruddur-tests")
    defer { Task { await connection.close() } }
    return try await connection.execute(sql, parameters: []).rows
  }

  /// A single value, or nil when the query returns no rows.
  public func value(_ sql: String, database: String = "postgres") async throws -> String? {
    try await query(sql, database: database).first?.first ?? nil
  }

  public func databaseExists(_ name: String) async throws -> Bool {
    try await value("select 1 from pg_database where datname = '\(name)'") == "1"
  }

  /// A database name no other test uses, so tests can run in parallel.
  public static func uniqueDatabaseName(_ prefix: String = "t") -> String {
    "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
  }

  /// A port nobody listens on right now, chosen by the kernel.
  public static func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
        guard bind(fd, pointer, length) == 0 else { return -1 }
        return getsockname(fd, pointer, &length)
      }
    }
    guard bound == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EADDRNOTAVAIL) }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}

/// Starts one cluster for the suite it is attached to (and the suites nested in it), hands
/// it over through `TestCluster.current`, and stops it at the end even when tests fail.
public struct PostgresClusterTrait: SuiteTrait, TestScoping {
  public var isRecursive: Bool { false }

  public func provideScope(
    for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
  ) async throws {
    let cluster = try TestCluster.start()
    defer { cluster.stop() }
    try await TestCluster.$current.withValue(cluster) { try await function() }
  }
}

extension Trait where Self == PostgresClusterTrait {
  public static var postgresCluster: Self { PostgresClusterTrait() }
}
