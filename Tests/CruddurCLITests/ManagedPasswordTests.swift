import CruddurCore
import CruddurProcess
import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// The starter project's second way to production: `aws:rds-create-managed` has RDS keep
  /// the master password in Secrets Manager, and `prod-managed` reads it from there at
  /// connect time. moto stands in for AWS; the test cluster stands in for the instance.
  @Suite struct ManagedPasswordTests {
    @Test("aws:rds-create-managed, then prod-managed plans without AWS and runs with the secret")
    func managed() async throws {
      let moto = try await MotoServer.start()
      defer { moto.stop() }
      let project = try TemporaryProject(files: [
        "cruddur.yml": try RepositoryFiles.read("cruddur.yml"),
        "tasks/db.yml": try RepositoryFiles.read("tasks/db.yml"),
        "tasks/aws.yml": try RepositoryFiles.read("tasks/aws.yml"),
        "db/schema.sql": try RepositoryFiles.read("db/schema.sql"),
        "db/seed.sql": try RepositoryFiles.read("db/seed.sql"),
      ])
      defer { project.remove() }
      var env = MotoServer.environment
      env["AWS_ENDPOINT"] = moto.endpoint
      let created = try await project.run(["aws:rds-create-managed"], environment: env)
      #expect(created.status == 0, "\(created)")
      let columns =
        created.stdout.split(separator: "\n").first { $0.hasPrefix("cruddur-db-instance\t") }?
        .split(separator: "\t") ?? []
      let arn = try #require(columns.last.map(String.init), "\(created)")
      #expect(arn.hasPrefix("arn:aws:secretsmanager:us-east-1:"), "\(created)")

      // RDS rotates the secret; here the test does, to a role on the test server.
      let password = "managed-\(UUID().uuidString)"
      let role = TestCluster.uniqueDatabaseName("root")
      _ = try await DatabaseTests.cluster.query("create role \(role) login password '\(password)'")
      let file = project.path + "/../secret-\(UUID().uuidString).json"
      try #"{"username":"\#(role)","password":"\#(password)"}"#.write(
        toFile: file, atomically: true, encoding: .utf8)
      defer { try? FileManager.default.removeItem(atPath: file) }
      let rotated = try await moto.aws([
        "secretsmanager", "put-secret-value", "--secret-id", arn, "--secret-string",
        "file://" + file,
      ])
      #expect(rotated.status == 0, "\(rotated.text)")

      var prod = env
      prod["DB_ENDPOINT"] = "127.0.0.1"
      prod["DB_PORT"] = DatabaseTests.cluster.port
      prod["DB_MASTER_USER"] = role
      prod["DB_SECRET_ARN"] = arn
      // The test server has no TLS; a real RDS endpoint keeps the default, require.
      prod["DB_SSLMODE"] = "disable"
      // A plan names the secret and reaches nothing: no endpoint, no credentials.
      var offline = prod
      for name in ["AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] {
        offline.removeValue(forKey: name)
      }
      let plan = try await project.run(
        ["plan", "db:sessions", "-e", "prod-managed"], environment: offline)
      #expect(plan.status == 0, "\(plan)")
      #expect(plan.stdout.contains("\npassword: Secrets Manager secret `\(arn)`\n"), "\(plan)")

      prod["AWS_ENDPOINT_URL"] = moto.endpoint
      let sessions = try await project.run(
        ["db:sessions", "-e", "prod-managed"], environment: prod)
      #expect(sessions.status == 0, "\(sessions)")
      #expect(sessions.stdout.contains(role), "\(sessions)")
      #expect(!sessions.output.contains(password))
    }
  }
}
