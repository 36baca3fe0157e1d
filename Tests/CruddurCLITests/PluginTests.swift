import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// External executors: a real plugin process (Examples/plugins/cruddur-plugin-rowcount)
  /// speaking the JSON protocol against the real database.
  @Suite struct PluginTests {
    static func project(database: String, minimum: Int, declare: Bool = true) throws -> TemporaryProject {
      let plugin = RepositoryFiles.root + "/Examples/plugins/cruddur-plugin-rowcount"
      return try DatabaseTests.dbProject(
        database: database,
        extraFiles: [
          "cruddur.yml": """
          version: 1
          environments:
            local: { default: true, url: "${TEST_URL}" }
          \(declare ? "plugins: { rowcount: \(plugin) }" : "")
          include: [tasks/*.yml]
          """,
          "tasks/check.yml": """
          tasks:
            db:check:
              description: The seed loaded
              uses: rowcount
              with: { table: public.users, min: \(minimum) }
          """,
        ])
    }

    @Test("plan asks the plugin to describe; run streams its output and keeps its verdict")
    func describeAndRun() async throws {
      let database = TestCluster.uniqueDatabaseName("plugin")
      let env = DatabaseTests.environment(database: database)
      let good = try Self.project(database: database, minimum: 2)
      defer { good.remove() }
      #expect(try await good.run(["db:setup"], environment: env).status == 0)

      try await good.expect(["plan", "db:check"], environment: env, stdout: """
        Plan for db:check on local (postgresql://postgres:****@127.0.0.1:<port>/<db>)
        1. db:check (uses)
           rowcount: count rows of public.users (at least 2)
           table: public.users

        """, normalizing: DatabaseTests.variable(database))
      try await good.expect(["db:check"], environment: env, stdout: """
        cruddur db:check on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
        == db:check rowcount: count rows of public.users (at least 2)
        2 >= 2
           done in <duration>
        ✓ 1 step done in <duration>

        """, stderr: """
        public.users: 2 rows

        """, normalizing: DatabaseTests.variable(database))

      let strict = try Self.project(database: database, minimum: 3)
      defer { strict.remove() }
      try await strict.expect(["db:check"], environment: env, stdout: """
        cruddur db:check on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
        == db:check rowcount: count rows of public.users (at least 3)
        ✗ run failed after <duration>: 0 done; failed: db:check

        """, stderr: """
        public.users: 2 rows
        == db:check failed after <duration>
        error: plugin `rowcount` failed: public.users has 2 rows, fewer than 3

        """, status: 1, normalizing: DatabaseTests.variable(database))
    }

    @Test("a plugin that is neither declared nor on PATH is a validation error")
    func missingPlugin() async throws {
      let project = try Self.project(database: "x", minimum: 1, declare: false)
      defer { project.remove() }
      try await project.expect(["validate"], stderr: """
        error: no plugin `rowcount`
         --> tasks/check.yml:4:11
          |
        4 |     uses: rowcount
          |           ^^^^^^^^
          = help: declare it under `plugins:` or put `cruddur-plugin-rowcount` on PATH

        """, status: 2)
    }
  }
}
