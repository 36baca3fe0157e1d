import CruddurTestSupport
import Foundation
import Testing

/// Every test that needs PostgreSQL is nested here, so one server serves the whole run
/// and is stopped at the end even when tests fail. The tests run in parallel: each makes
/// a database of its own (`TestCluster.uniqueDatabaseName`), and a test that waits for its
/// query in `pg_stat_activity` looks in its own database or for a marker no other test uses.
@Suite(.postgresCluster) struct DatabaseTests {}

extension DatabaseTests {
  static var cluster: TestCluster { TestCluster.required }

  /// A project with the repository's real db tasks and SQL files, pointing at `database`.
  static func dbProject(database: String, extraFiles: [String: String] = [:]) throws -> TemporaryProject {
    var files = [
      "cruddur.yml": """
        version: 1
        environments:
          local:
            default: true
            url: ${TEST_URL}
        include: [tasks/*.yml]
        """,
      "tasks/db.yml": try RepositoryFiles.read("tasks/db.yml"),
      "db/schema.sql": try RepositoryFiles.read("db/schema.sql"),
      "db/seed.sql": try RepositoryFiles.read("db/seed.sql"),
      "db/migrations/20261201000000_baseline.sql": try RepositoryFiles.read("db/migrations/20261201000000_baseline.sql"),
    ]
    files.merge(extraFiles) { _, new in new }
    return try TemporaryProject(files: files)
  }

  static func environment(database: String) -> [String: String] {
    ["TEST_URL": cluster.url(database: database)]
  }

  /// What differs between runs of a test on the cluster: its database's generated name,
  /// the server's port and measured durations.
  static func variable(_ database: String) -> [OutputSubstitution] {
    [.durations, .literal(database, as: "<db>"), .literal("127.0.0.1:\(cluster.port)", as: "127.0.0.1:<port>")]
  }

  /// A saved plan's time and the digest that covers it; the port in its targets.
  static var savedPlan: [OutputSubstitution] {
    [
      .pattern(#""created_at" : "[^"]*""#, as: #""created_at" : "<time>""#),
      .pattern(#""digest" : "[0-9a-f]{64}""#, as: #""digest" : "<digest>""#),
      .literal(#""port" : "\#(cluster.port)""#, as: #""port" : "<port>""#),
    ]
  }

  /// The run holding a lock, as a refusal names it: its pid (known), this machine's name
  /// and when it took the lock.
  static func lockHolder(_ pid: Int32) -> [OutputSubstitution] {
    [
      .literal("pid \(pid) on host \(ProcessInfo.processInfo.hostName)", as: "pid <first> on host <host>"),
      .pattern(#"since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"#, as: "since <time>"),
    ]
  }
}
