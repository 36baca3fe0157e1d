import CruddurTestSupport
import Testing

extension DatabaseTests {
  @Suite struct ParamsTests {
    @Test("a missing parameter is a config error before anything runs; --set supplies one by name")
    func missingParameter() async throws {
      let database = TestCluster.uniqueDatabaseName("params")
      let project = try DatabaseTests.dbProject(database: database)
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      #expect(try await project.run(["db:setup"], environment: env).status == 0)
      let missing = try await project.run(["users:add", "A B", "ab"], environment: env)
      #expect(missing.status == 2, "\(missing)")
      #expect(missing.stderr.contains("task `users:add` needs parameter `email` ($3)"))
      #expect(missing.stdout.isEmpty, "nothing started: \(missing)")
      let named = try await project.run(
        ["users:add", "A B", "ab", "--set", "email=ab@example.com", "--set", "cognito_user_id=MOCK"], environment: env)
      #expect(named.status == 0, "\(named)")
      #expect(try await DatabaseTests.cluster.value("select email from public.users where handle = 'ab'", database: database) == "ab@example.com")
      // A plan shows parameters by name without needing values.
      #expect(try await project.run(["plan", "users:add"], environment: env).stdout.contains("$3 = email"))
    }
  }
}
