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
      // Nothing started: stdout is empty.
      try await project.expect(["users:add", "A B", "ab"], environment: env, stderr: """
        error: task `users:add` needs parameter `email` ($3)
          --> tasks/db.yml:49:3
           |
        49 |   users:add:
           |   ^^^^^^^^^
           = help: pass <display_name> <handle> <email> <cognito_user_id> after the task name, or `--set email=...`

        """, status: 2)
      let named = try await project.run(
        ["users:add", "A B", "ab", "--set", "email=ab@example.com", "--set", "cognito_user_id=MOCK"], environment: env)
      #expect(named.status == 0, "\(named)")
      #expect(try await DatabaseTests.cluster.value("select email from public.users where handle = 'ab'", database: database) == "ab@example.com")
      // A plan shows parameters by name without needing values.
      try await project.expect(["plan", "users:add"], environment: env, stdout: """
        Plan for users:add on local (postgresql://postgres:****@127.0.0.1:<port>/<db>)
        1. users:add (query)
           query: insert into public.users (display_name, handle, email, cognito_user_id) values ($1, $2, $3, $4) returning uuid
           target: postgres@127.0.0.1:<port>/<db>
             insert into public.users (display_name, handle, email, cognito_user_id) values ($1, $2, $3, $4) returning uuid
           parameters: $1 = display_name, $2 = handle, $3 = email, $4 = cognito_user_id

        """, normalizing: DatabaseTests.variable(database))
    }
  }
}
