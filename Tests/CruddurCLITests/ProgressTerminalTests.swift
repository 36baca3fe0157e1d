import CruddurCore
import CruddurPostgres
import CruddurTestSupport
import Foundation
import Testing

/// The progress line as a person sees it: the real binary in a real pseudo-terminal (tmux),
/// a load held mid-file by a lock the test owns, the screen read back with `capture-pane`.
/// Whatever the width, the screen holds one progress line that fits, no escape sequence as
/// text, and once the step is done no progress line at all: nothing stale is left behind.
extension DatabaseTests {
  @Suite struct ProgressTerminalTests {
    /// A load whose last statement, or one early on (in an 8 MB file, more than the loader
    /// reads ahead), waits for the test's advisory lock.
    static func load(lockAtEnd: Bool) -> String {
      let row = String(repeating: "x", count: 400)
      let inserts = (1...(lockAtEnd ? 2_500 : 20_000)).map { "insert into filler (note) values ('\(row) \($0)');" }
      let gate = "select pg_advisory_xact_lock(\(lockAtEnd ? 5151 : 5050)) as progress_gate;"
      let body = lockAtEnd ? inserts + [gate] : Array(inserts[..<1_250]) + [gate] + Array(inserts[1_250...])
      return (["create table filler (note text);"] + body).joined(separator: "\n") + "\n"
    }

    struct Loading {
      let tmux: TmuxSession
      let gate: Connection
      let project: TemporaryProject
    }

    /// `db:create`, then `db:load:big` started in a `columns`-wide terminal, its load stopped
    /// at the gate (seen in `pg_stat_activity`).
    static func start(columns: Int, lockAtEnd: Bool = false) async throws -> Loading {
      let database = TestCluster.uniqueDatabaseName("progress")
      let cluster = DatabaseTests.cluster
      let project = try DatabaseTests.dbProject(
        database: database,
        extraFiles: [
          "tasks/load.yml": "tasks:\n  db:load:big: { description: A long load, sql: ../db/big.sql }\n",
          "db/big.sql": load(lockAtEnd: lockAtEnd),
        ])
      let environment = DatabaseTests.environment(database: database)
      #expect(try await project.run(["db:create"], environment: environment).status == 0)
      let gate = try await Connection.connect(try ConnInfo(parsing: ConnectionURL(cluster.url(database: database))))
      _ = try await gate.execute("select pg_advisory_lock(\(lockAtEnd ? 5151 : 5050))", parameters: [])
      let tmux = try TmuxSession(
        "\(CruddurBinary.path) db:load:big; echo \"exit $?\"", columns: columns, in: project.path,
        environment: environment)
      // The batch's text is longer than pg_stat_activity keeps: the wait itself is the sign.
      let waiting =
        "select count(*) from pg_stat_activity where wait_event = 'advisory' and datname = '\(database)'"
      #expect(try await eventually { try await cluster.value(waiting) == "1" })
      return Loading(tmux: tmux, gate: gate, project: project)
    }

    /// Every problem with the screen: escape sequences shown as text anywhere, a progress
    /// row wider than the terminal less its last column.
    static func problems(_ screen: [String], columns: Int) -> [String] {
      var found: [String] = []
      for row in screen {
        if row.contains("\\u{") || row.contains("[2m") || row.contains("[0m") || row.contains("[K") {
          found.append("escape sequence as text: \(row)")
        }
      }
      for row in progressRows(screen) where row.count > columns - 1 {
        found.append("wider than \(columns - 1) columns: \(row)")
      }
      return found
    }

    /// Rows holding any piece of a progress line (a stale one, wrapped, shows as pieces).
    static func progressRows(_ screen: [String]) -> [String] {
      screen.filter { row in
        ["statements", "db:load:big |", "/s", "ETA", "%)", " sent", "waiting"].contains { row.contains($0) }
      }
    }

    @Test("mid-load: one line cut to the width, redrawn in place after a resize, gone when done",
      arguments: [(40, 30), (80, 40), (200, 60)])
    func midLoad(columns: Int, narrower: Int) async throws {
      let loading = try await Self.start(columns: columns)
      defer {
        loading.tmux.kill()
        loading.project.remove()
      }
      // Shown after the first second; redrawn about once a second after that.
      var screen: [String] = []
      #expect(
        try await eventually {
          screen = try loading.tmux.screen()
          return Self.progressRows(screen).contains { $0.contains("statements") }
        }, "\(screen)")
      #expect(Self.progressRows(screen).count == 1, "\(screen)")
      #expect(Self.problems(screen, columns: columns) == [], "\(screen)")
      if columns >= 80 {
        let row = Self.progressRows(screen).first ?? ""
        #expect(row.hasPrefix("db:load:big | ") && row.contains(" statements, ") && row.contains(" of 8.9 MB ("), "\(screen)")
      }
      // Narrower: the terminal reflows the line drawn at the old width; the next draw must
      // replace it whole, leaving no piece of it on a row of its own.
      try loading.tmux.resize(columns: narrower)
      let before = Self.progressRows(screen).first ?? ""
      #expect(
        try await eventually {
          screen = try loading.tmux.screen()
          let rows = Self.progressRows(screen)
          return rows.count == 1 && rows[0] != before && rows[0].count <= narrower - 1
        }, "\(screen)")
      #expect(Self.problems(screen, columns: narrower) == [], "\(screen)")
      _ = try await loading.gate.execute("select pg_advisory_unlock(5050)", parameters: [])
      #expect(try await eventually { try loading.tmux.screen().contains("exit 0") }, "\((try? loading.tmux.screen()) ?? [])")
      screen = try loading.tmux.screen()
      #expect(Self.progressRows(screen) == [], "\(screen)")
      #expect(screen.contains { $0.hasPrefix("   done in ") }, "\(screen)")
      #expect(Self.problems(screen, columns: narrower) == [], "\(screen)")
      await loading.gate.close()
    }

    @Test("all bytes sent while the server still works: the line says it waits for the server")
    func waitingForServer() async throws {
      let loading = try await Self.start(columns: 100, lockAtEnd: true)
      defer {
        loading.tmux.kill()
        loading.project.remove()
      }
      var screen: [String] = []
      #expect(
        try await eventually {
          screen = try loading.tmux.screen()
          return screen.contains { $0.contains("statements") }
        }, "\(screen)")
      let rows = Self.progressRows(screen)
      #expect(rows.count == 1, "\(screen)")
      let sent = try #require(rows.first)
      #expect(sent == "db:load:big | 2502 statements, all 1.1 MB sent, waiting for the server", "\(screen)")
      _ = try await loading.gate.execute("select pg_advisory_unlock(5151)", parameters: [])
      #expect(try await eventually { try loading.tmux.screen().contains("exit 0") }, "\((try? loading.tmux.screen()) ?? [])")
      let last = try loading.tmux.screen()
      #expect(Self.progressRows(last) == [], "\(last)")
      await loading.gate.close()
    }
  }
}
