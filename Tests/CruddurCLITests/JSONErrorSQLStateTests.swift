import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// A server's refusal that ends a command before any step (the protected target's checks
  /// connect first) is one JSON error object whose SQLSTATE is a field, not text to parse.
  @Suite struct JSONErrorSQLStateTests {
    @Test(
      "a wrong password on a protected target: event error with sqlstate 28P01, the password masked"
    )
    func wrongPassword() async throws {
      let url = DatabaseTests.cluster.url(database: "postgres")
        .replacingOccurrences(of: TestCluster.password, with: "Not-the-pw-4k")
      let project = try TemporaryProject(files: [
        "cruddur.yml": """
        version: 1
        environments:
          prod: { url: "\(url)", protected: true }
        tasks:
          d: { database: drop }
        """
      ])
      defer { project.remove() }
      let result = try await project.run(["d", "-e", "prod", "--yes", "--format", "json"])
      let port = DatabaseTests.cluster.port
      #expect(
        result.stdout.replacingOccurrences(of: port, with: "<port>")
          == #"{"error_kind":"ConnectionError","event":"error","exit_code":1,"hint":"check the user and password in the environment's URL","message":"cannot connect to postgres@127.0.0.1:<port>/postgres: connection to server at \"127.0.0.1\", port <port> failed: FATAL:  password authentication failed for user \"postgres\"","sqlstate":"28P01"}"#
          + "\n", "\(result)")
      #expect(result.stderr == "", "\(result)")
      // A refusal with no server behind it has no `sqlstate` key at all (never null).
      let refused = try await project.run(["d", "-e", "prod", "--format", "json"])
      #expect(refused.status == 3, "\(refused)")
      #expect(!refused.stdout.contains("sqlstate"), "\(refused)")
      #expect(!result.stdout.contains("Not-the-pw-4k"), "\(result)")
    }
  }
}
