import CruddurTestSupport
import Foundation
import Testing

/// `COPY … TO STDOUT` in a `query:` prints its lines as rows; `COPY … FROM STDIN`, which
/// would wait for data the YAML cannot hold, is refused before anything runs. Before, the
/// first spun at 100 % CPU ignoring Ctrl-C, and in `unless` said "cannot connect".
extension DatabaseTests {
  @Suite struct CopyInQueryTests {
    static let tasks = """
      tasks:
        setup:
          sql: setup.sql
        export:
          query: copy (select n, 'a,' || n as label from generate_series(1, 3) n order by n) to stdout with (format csv)
        export:text:
          query: copy (select n, null from generate_series(1, 2) n order by n) to stdout
        export:binary:
          query: copy (select 1) to stdout (format binary)
        marker:
          unless: { sql: "copy (select 1 from t where id = 1) to stdout" }
          shell: echo ran
      """

    @Test(
      "COPY TO STDOUT prints its lines as rows of one column in text, csv and json; in unless a line is a row"
    )
    func copyOut() async throws {
      let database = TestCluster.uniqueDatabaseName("copyq")
      let project = try DatabaseTests.dbProject(
        database: database,
        extraFiles: ["tasks/copy.yml": Self.tasks, "tasks/setup.sql": "create table t (id int);\n"])
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      #expect(try await project.run(["db:create"], environment: env).status == 0)
      #expect(try await project.run(["setup"], environment: env).status == 0)

      try await project.expect(
        ["export", "-q"], environment: env,
        stdout:
          "  copy  \u{20}\n---------\n 1,\"a,1\"\n 2,\"a,2\"\n 3,\"a,3\"\n(3 rows)\n✓ 1 step done in <duration>\n",
        normalizing: DatabaseTests.variable(database))
      let csv = try await project.run(["export:text", "--format", "csv", "-q"], environment: env)
      #expect(csv.status == 0, "\(csv)")
      #expect(csv.stdout == "copy\r\n1\t\\N\r\n2\t\\N\r\n", "\(csv)")
      let json = try await project.run(["export", "--format", "json"], environment: env)
      let events = json.stdout.split(separator: "\n").compactMap {
        try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
      }
      let rows = events.filter { $0["event"] as? String == "step_row" }.compactMap {
        $0["row"] as? [String: Any]
      }
      #expect(rows.map { $0["copy"] as? String } == ["1,\"a,1\"", "2,\"a,2\"", "3,\"a,3\""])
      let finished = events.first { $0["event"] as? String == "step_rows_finished" }
      #expect(finished?["command_tag"] as? String == "COPY 3")

      // The COPY returns no line: the step runs; then one line: it is skipped.
      let ran = try await project.run(["marker"], environment: env)
      #expect(ran.status == 0, "\(ran)")
      #expect(ran.stdout.contains("\nran\n"), "\(ran)")
      _ = try await DatabaseTests.cluster.query("insert into t values (1)", database: database)
      let skipped = try await project.run(["marker"], environment: env)
      #expect(skipped.status == 0, "\(skipped)")
      #expect(skipped.stdout.contains("skipped: the `unless` query returned a row"), "\(skipped)")
      #expect(!skipped.stdout.contains("\nran\n"), "\(skipped)")
    }

    @Test("binary COPY output is one clear error after its data is read, and the run ends")
    func binaryOut() async throws {
      let database = TestCluster.uniqueDatabaseName("copyb")
      let project = try DatabaseTests.dbProject(
        database: database, extraFiles: ["tasks/copy.yml": Self.tasks, "tasks/setup.sql": ""])
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      #expect(try await project.run(["db:create"], environment: env).status == 0)
      let result = try await project.run(["export:binary", "-q"], environment: env)
      #expect(result.status == 1, "\(result)")
      #expect(
        result.stderr.contains(
          "error: binary COPY output on postgres@127.0.0.1:\(DatabaseTests.cluster.port)/\(database) cannot be shown as rows\n = help: use COPY's text or csv format\n"
        ), "\(result)")
    }
  }
}

/// Validation needs no server: the COPY is seen in the text.
@Suite struct CopyFromStdinValidationTests {
  @Test(
    "COPY FROM STDIN in a query or an unless check is a validation error at its place, pointing to sql: files"
  )
  func refused() async throws {
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local: { default: true, url: "postgresql://postgres:pw@127.0.0.1:1/app" }
      tasks:
        load: { query: "copy t (id) from stdin" }
        check:
          unless: { sql: " /* a /* nested */ comment */ -- and a line\\n COPY t FROM STDIN with (format csv)" }
          shell: echo hi
        fine: { query: "copy t from '/tmp/file'" }
        fine2: { query: "copy (select 'from stdin') to stdout" }
      """
    ])
    defer { project.remove() }
    try await project.expect(
      ["validate"],
      stderr: """
        error: `COPY … FROM STDIN` in `query` has no data to read
         --> cruddur.yml:5:18
          |
        5 |   load: { query: "copy t (id) from stdin" }
          |                  ^^^^^^^^^^^^^^^^^^^^^^
          = help: put the COPY and its data lines (ended by `\\.`) in a file a `sql:` task loads
        error: `COPY … FROM STDIN` in `unless.sql` has no data to read
         --> cruddur.yml:7:20
          |
        7 |     unless: { sql: " /* a /* nested */ comment */ -- and a line\\n COPY t FROM STDIN with (format csv)" }
          |                    ^
          = help: put the COPY and its data lines (ended by `\\.`) in a file a `sql:` task loads

        """, status: 2)
    // Nothing ran: the refusal comes before any connection (port 1 would fail to connect).
    let run = try await project.run(["load"])
    #expect(run.status == 2, "\(run)")
    #expect(
      run.stderr.hasPrefix("error: `COPY … FROM STDIN` in `query` has no data to read\n"), "\(run)")
  }
}
