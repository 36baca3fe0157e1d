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

      // One `step_row` event per row as it arrives, then the count (before streaming, one
      // `step_rows` event carried the whole result).
      let json = try await project.run(["report", "--format", "json"], environment: env)
      let events = json.stdout.split(separator: "\n").compactMap {
        try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
      }
      let rows = events.filter { $0["event"] as? String == "step_row" }.compactMap { $0["row"] as? [String: Any] }
      #expect(rows.count == 3)
      #expect(rows.first?["n"] as? Int == 1)
      #expect(rows[1]["label"] is NSNull)
      #expect(rows.last?["label"] as? String == "x,12")
      let started = events.first { $0["event"] as? String == "step_rows_started" }
      #expect(started?["columns"] as? [String] == ["n", "label"])
      let finished = events.first { $0["event"] as? String == "step_rows_finished" }
      #expect(finished?["count"] as? Int == 3)
      #expect(finished?["command_tag"] as? String == "SELECT 3")
    }

    @Test("a result larger than a chunk streams whole, in order, in every format; table widths come from the first chunk")
    func streamed() async throws {
      let database = TestCluster.uniqueDatabaseName("stream")
      let project = try DatabaseTests.dbProject(
        database: database,
        extraFiles: [
          "tasks/many.yml": """
          tasks:
            many:
              query: select n, case when n = 2500 then repeat('w', 40) else 'v' || n end as label from generate_series(1, 2500) n order by n
          """
        ])
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      #expect(try await project.run(["db:create"], environment: env).status == 0)

      let csv = try await project.run(["many", "--format", "csv"], environment: env)
      #expect(csv.status == 0, "\(csv)")
      let csvLines = csv.stdout.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").map(String.init)
      #expect(csvLines.count == 2501)
      #expect(csvLines[1000] == "1000,v1000")
      #expect(csvLines.last == "2500," + String(repeating: "w", count: 40))

      let json = try await project.run(["many", "--format", "json"], environment: env)
      let numbers = json.stdout.split(separator: "\n").compactMap {
        try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
      }.filter { $0["event"] as? String == "step_row" }.compactMap { ($0["row"] as? [String: Any])?["n"] as? Int }
      #expect(numbers == Array(1...2500))

      // Widths from rows 1-1000 (`label` is 5 wide: "v1000"); the 40-wide value in the
      // last chunk is printed whole, past its column.
      let table = try await project.run(["many", "-q"], environment: env)
      #expect(table.status == 0)
      #expect(table.stdout.hasPrefix("  n   | label \n------+-------\n    1 | v1\n"), "\(table.stdout.prefix(80))")
      #expect(table.stdout.contains("\n 1001 | v1001\n"))
      #expect(table.stdout.contains("\n 2500 | " + String(repeating: "w", count: 40) + "\n(2500 rows)\n"))
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
