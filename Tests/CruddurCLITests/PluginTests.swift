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

      let plan = try await good.run(["plan", "db:check"], environment: env)
      #expect(plan.status == 0, "\(plan)")
      #expect(plan.stdout.contains("rowcount: count rows of public.users (at least 2)"))

      let run = try await good.run(["db:check"], environment: env)
      #expect(run.status == 0, "\(run)")
      #expect(run.output.contains("public.users: 2 rows"))
      #expect(!run.output.contains(TestCluster.password))

      let strict = try Self.project(database: database, minimum: 3)
      defer { strict.remove() }
      let failed = try await strict.run(["db:check"], environment: env)
      #expect(failed.status == 1, "\(failed)")
      #expect(failed.stderr.contains("plugin `rowcount` failed: public.users has 2 rows, fewer than 3"))
    }

    @Test("a plugin that is neither declared nor on PATH is a validation error")
    func missingPlugin() async throws {
      let project = try Self.project(database: "x", minimum: 1, declare: false)
      defer { project.remove() }
      let result = try await project.run(["validate"])
      #expect(result.status == 2)
      #expect(result.stderr.contains("error: no plugin `rowcount`"), "\(result)")
      #expect(result.stderr.contains("put `cruddur-plugin-rowcount` on PATH"))
    }
  }
}
