import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  @Suite struct QueryOutputTests {
    static func project(database: String) throws -> TemporaryProject {
      try DatabaseTests.dbProject(
        database: database,
        extraFiles: [
          "tasks/report.yml": """
          tasks:
            report:
              query: select n, case when n = 2 then null else 'x,' || n end as label from generate_series(1, 12, 1) n where n in (1, 2, 12) order by n
          """
        ])
    }

    @Test("rows as a psql-like table (numbers right-aligned, NULL shown apart), CSV and JSON objects")
    func formats() async throws {
      let database = TestCluster.uniqueDatabaseName("rows")
      let project = try Self.project(database: database)
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      #expect(try await project.run(["db:create"], environment: env).status == 0)

      let table = try await project.run(["report", "-q"], environment: env)
      #expect(table.status == 0, "\(table)")
      #expect(table.stdout.contains(" n  | label \n----+-------\n  1 | x,1\n  2 | ∅\n 12 | x,12\n(3 rows)\n"), "\(table)")

      let csv = try await project.run(["report", "--format", "csv"], environment: env)
      #expect(csv.status == 0)
      #expect(csv.stdout.replacingOccurrences(of: "\r\n", with: "\n") == "n,label\n1,\"x,1\"\n2,\n12,\"x,12\"\n")
      #expect(csv.stderr.contains("✓ 1 step done"))

      let json = try await project.run(["report", "--format", "json"], environment: env)
      let rowsEvent = json.stdout.split(separator: "\n").first { $0.contains("\"step_rows\"") }
      let object = try JSONSerialization.jsonObject(with: Data((rowsEvent ?? "{}").utf8)) as? [String: Any]
      let rows = object?["rows"] as? [[String: Any]]
      #expect(rows?.count == 3)
      #expect(rows?.first?["n"] as? Int == 1)
      #expect(rows?[1]["label"] is NSNull)
    }

    @Test("-v shows each SQL statement and CREATE DATABASE as it starts")
    func verbose() async throws {
      let database = TestCluster.uniqueDatabaseName("verbose")
      let project = try Self.project(database: database)
      defer { project.remove() }
      let result = try await project.run(["db:setup", "-v"], environment: DatabaseTests.environment(database: database))
      #expect(result.status == 0, "\(result)")
      #expect(result.stdout.contains("+ CREATE DATABASE \"\(database)\""))
      #expect(result.stdout.contains("+ CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\""))
      #expect(result.stdout.contains("+ INSERT INTO public.activities"))
    }
  }
}
