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

      try await project.expect(
        ["report", "-q"], environment: env,
        stdout: " n  | label\u{20}\n----+-------\n  1 | x,1\n  2 | ∅\n 12 | x,12\n(3 rows)\n✓ 1 step done in <duration>\n",
        normalizing: DatabaseTests.variable(database))

      // CSV on stdout alone (CRLF line ends), everything else on stderr.
      try await project.expect(
        ["report", "--format", "csv"], environment: env, stdout: "n,label\r\n1,\"x,1\"\r\n2,\r\n12,\"x,12\"\r\n",
        stderr: """
        cruddur report on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
        == report query: select n, case when n = 2 then null else 'x,' || n end as label from generate_series(1, 12, 1) n where n in (1, 2, 12) order by n
           done in <duration>
        ✓ 1 step done in <duration>

        """, normalizing: DatabaseTests.variable(database))

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
      var rows = ""
      for n in 1...2500 {
        let number = String(repeating: " ", count: 4 - String(n).count) + String(n)
        rows += " \(number) | \(n == 2500 ? String(repeating: "w", count: 40) : "v\(n)")\n"
      }
      try await project.expect(
        ["many", "-q"], environment: env,
        stdout: "  n   | label\u{20}\n------+-------\n" + rows + "(2500 rows)\n✓ 1 step done in <duration>\n",
        normalizing: DatabaseTests.variable(database))
    }

    @Test("-v shows each SQL statement and CREATE DATABASE as it starts")
    func verbose() async throws {
      let database = TestCluster.uniqueDatabaseName("verbose")
      let project = try Self.project(database: database)
      defer { project.remove() }
      try await project.expect(
        ["db:setup", "-v"], environment: DatabaseTests.environment(database: database), stdout: """
        cruddur db:setup on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 4 steps
        == db:drop drop database "<db>" if it exists, ending its sessions
        database "<db>" does not exist
           done in <duration>
        == db:create create database "<db>" if it does not exist
        + CREATE DATABASE "<db>"
           done in <duration>
        == db:schema run db/schema.sql in one transaction
        + CREATE EXTENSION IF NOT EXISTS "uuid-ossp"
        + DROP TABLE IF EXISTS public.activities
        + DROP TABLE IF EXISTS public.users
        + CREATE TABLE public.users (
        +   uuid UUID DEFAULT uuid_generate_v4() PRIMARY KEY,
        +   display_name text NOT NULL,
        +   handle text NOT NULL,
        +   email text NOT NULL,
        +   cognito_user_id text NOT NULL,
        +   created_at TIMESTAMP default current_timestamp NOT NULL
        + )
        + CREATE TABLE public.activities (
        +   uuid UUID DEFAULT uuid_generate_v4() PRIMARY KEY,
        +   user_uuid UUID NOT NULL,
        +   message text NOT NULL,
        +   replies_count integer DEFAULT 0,
        +   reposts_count integer DEFAULT 0,
        +   likes_count integer DEFAULT 0,
        +   reply_to_activity_uuid integer,
        +   expires_at TIMESTAMP,
        +   created_at TIMESTAMP default current_timestamp NOT NULL
        + )
           done in <duration>
        == db:seed run db/seed.sql in one transaction
        + INSERT INTO public.users (display_name, handle, email, cognito_user_id)
        + VALUES
        +   ('Andrew Brown', 'andrewbrown', 'andrew@example.com', 'MOCK'),
        +   ('Andrew Bayko', 'bayko', 'bayko@example.com', 'MOCK')
        + INSERT INTO public.activities (user_uuid, message, expires_at)
        + VALUES
        +   (
        +     (SELECT uuid FROM public.users WHERE users.handle = 'andrewbrown' LIMIT 1),
        +     'This was imported as seed data!',
        +     current_timestamp + interval '10 day'
        +   )
           done in <duration>
        ✓ 4 steps done in <duration>

        """, stderr: """
        NOTICE:  table "activities" does not exist, skipping
        NOTICE:  table "users" does not exist, skipping

        """,
        normalizing: DatabaseTests.variable(database))
    }
  }
}
