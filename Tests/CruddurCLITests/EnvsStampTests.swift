import CruddurCore
import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// `cruddur envs --check` says whose database each environment's is: the stamp the
  /// run's stamp check reads, in its words, read from the server, never starting anything.
  @Suite struct EnvsStampTests {
    @Test(
      "envs --check: this environment's, another's, none, foreign after a rename, no database yet, unreachable"
    )
    func stampStates() async throws {
      let cluster = DatabaseTests.cluster
      let own = TestCluster.uniqueDatabaseName("eso")
      let renamed = TestCluster.uniqueDatabaseName("esr")
      let plain = TestCluster.uniqueDatabaseName("esp")
      let absent = TestCluster.uniqueDatabaseName("esa")
      let project = try TemporaryProject(files: [
        "cruddur.yml": """
        version: 1
        environments:
          local: { default: true, url: "${OWN_URL}" }
          staging: { url: "${OWN_URL}" }
          plain: { url: "${PLAIN_URL}" }
          moved: { url: "${MOVED_URL}" }
          later: { url: "${ABSENT_URL}" }
          down: { url: "postgresql://postgres:pw@127.0.0.1:1/app" }
        tasks:
          make: { database: create }
        """
      ])
      defer { project.remove() }
      let env = [
        "OWN_URL": cluster.url(database: own), "PLAIN_URL": cluster.url(database: plain),
        "MOVED_URL": cluster.url(database: renamed), "ABSENT_URL": cluster.url(database: absent),
      ]
      #expect(try await project.run(["make"], environment: env).status == 0)
      _ = try await cluster.value("create database \(plain)")
      // A stamped database renamed: its stamp still names the old name.
      #expect(try await project.run(["make"], environment: env.merging(["OWN_URL": cluster.url(database: renamed)]) { $1 }).status == 0)
      _ = try await cluster.value("alter database \(renamed) rename to \(renamed)_x")
      _ = try await cluster.value("alter database \(renamed)_x rename to \(renamed)")

      let plainOnly = try await project.run(["envs"], environment: env)
      #expect(!plainOnly.stdout.contains("stamp:"), "without --check nothing is read: \(plainOnly)")

      let check = try await project.run(["envs", "--check"], environment: env)
      #expect(check.status == 0, "\(check)")
      let stamps = check.stdout.split(separator: "\n").map { line in
        line.split(separator: "\t").first { $0.hasPrefix("stamp: ") }.map(String.init) ?? "(none): \(line)"
      }
      #expect(
        stamps == [
          "stamp: this environment's",
          "stamp: `local`'s (destructive steps from staging are refused)",
          "stamp: none (not created by cruddur; `cruddur stamp` claims it)",
          // Renamed away and back: same name, same cluster, so still its own. What makes a
          // stamp foreign is a different name or server, shown below with a copy.
          "stamp: `local`'s (destructive steps from moved are refused)",
          "stamp: no database \"\(absent)\" yet",
          "stamp: not read (cannot connect to postgres@127.0.0.1:1/postgres: connection to server at \"127.0.0.1\", port 1 failed: Connection refused. Is the server running on that host and accepting TCP/IP connections?)",
        ], "\(check)")

      // Production's name given to local's database (what a restore under that name
      // does): the stamp travels with it and names the database it was made on.
      _ = try await cluster.value("alter database \(own) rename to \(absent)")
      let after = try await project.run(["envs", "--check"], environment: env)
      let later = after.stdout.split(separator: "\n").first { $0.hasPrefix("later\t") }.map(String.init) ?? ""
      #expect(
        later.hasSuffix(
          "\tstamp: foreign: stamped for `local` on database \"\(own)\" (restored, renamed or copied; destructive steps are refused until `cruddur stamp`)"
        ), "\(after)")
      #expect(!after.stdout.contains("pw@"), "passwords stay masked")
    }
  }
}
