import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// A `database:` step on a fleet acts on each target's own database. The plan is made
  /// once, on the first target; a step that took the database's name from that plan dropped
  /// the first target's database from every target and reported each one done.
  @Suite struct FleetDatabaseStepTests {
    var cluster: TestCluster { DatabaseTests.cluster }

    func databases(like pattern: String) async throws -> [String] {
      try await cluster.query(
        "select datname from pg_database where datname like '\(pattern)' order by 1"
      ).compactMap { $0[0] }
    }

    @Test(
      "database: drop on a fleet drops each target's own database, and only the fleet's; hostile: `database: exists` on a fleet fails on the one target whose database is missing, not on the others"
    )
    func dropEachTargetsOwn() async throws {
      let prefix = TestCluster.uniqueDatabaseName("fdb")
      for name in ["\(prefix)_a", "\(prefix)_b", "\(prefix)_c", "\(prefix)_keep"] {
        _ = try await cluster.query("create database \(name)")
      }
      let url = { (database: String) in cluster.url(database: database) }
      let project = try TemporaryProject(files: [
        "cruddur.yml": """
        version: 1
        environments:
          two: { urls: ["${A_URL}", "${B_URL}"] }
          withmissing: { urls: ["${C_URL}", "${MISSING_URL}"] }
        tasks:
          db:drop: { database: drop }
          db:exists: { database: exists }
        """
      ])
      defer { project.remove() }
      let environment = [
        "A_URL": url("\(prefix)_a"), "B_URL": url("\(prefix)_b"), "C_URL": url("\(prefix)_c"),
        "MISSING_URL": url("\(prefix)_missing"),
      ]
      let two = try await project.run(
        ["db:drop", "-e", "two", "--yes", "-q"], environment: environment)
      #expect(two.status == 0, "\(two)")
      #expect(try await databases(like: "\(prefix)_%") == ["\(prefix)_c", "\(prefix)_keep"])

      let hostile = try await project.run(
        ["db:exists", "-e", "withmissing", "-q"], environment: environment)
      #expect(hostile.status == 1, "\(hostile)")
      let failed = hostile.stdout.split(separator: "\n").filter {
        $0.contains("✗") && $0.contains("does not exist")
      }
      #expect(
        failed.count == 1 && failed[0].contains("database \"\(prefix)_missing\" does not exist"),
        "\(hostile)")
      #expect(try await databases(like: "\(prefix)_%") == ["\(prefix)_c", "\(prefix)_keep"])
      for name in ["c", "keep"] { _ = try await cluster.query("drop database \(prefix)_\(name)") }
    }
  }
}
