import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// A fleet's live progress line as a person sees it: the real binary in an 80-column
  /// tmux terminal, two targets held mid-step by a gate database the test owns (seen in
  /// `pg_stat_activity`), the screen read back with `capture-pane`. One line that fits (the
  /// fleet's long name, which would wrap it, left out), with done / failed / running / left; a
  /// failure printed above it, not through it; once the run ends, no progress line left.
  @Suite struct FleetProgressTerminalTests {
    /// Rows holding any piece of a progress line (a stale or wrapped one shows as pieces).
    static func progressRows(_ screen: [String]) -> [String] {
      screen.filter { row in
        [" running", " left", "/s ·", "ETA"].contains { row.contains($0) }
      }
    }

    @Test(
      "80 columns: one progress line cut to fit, counts as targets run, a failure above it, nothing stale at the end"
    )
    func liveLine() async throws {
      let cluster = DatabaseTests.cluster
      let prefix = TestCluster.uniqueDatabaseName("prog")
      let names = (1...5).map { "\(prefix)_\($0)" }
      let gate = "\(prefix)gate"
      for name in names + [gate] { _ = try await cluster.query("create database \(name)") }
      defer {
        Task {
          for name in names + [gate] {
            _ = try? await cluster.query("drop database if exists \(name) with (force)")
          }
        }
      }
      // The second target fails at once; the others wait while the gate database exists.
      _ = try await cluster.query("create table held (id int)", database: names[1])
      let fleet = "tenants_of_the_north_eastern_region_for_the_progress_line"
      let project = try TemporaryProject(files: [
        "cruddur.yml": """
        version: 1
        environments:
          \(fleet): { server: "${SERVER_URL}", databases: "\(prefix)_*" }
        tasks:
          hold: { sql: hold.sql }
        """,
        "hold.sql": """
        create table held (id int);
        do $$ begin
          while exists (select from pg_catalog.pg_database where datname = '\(gate)') loop
            perform pg_catalog.pg_sleep(0.05);
          end loop;
        end $$;

        """,
      ])
      defer { project.remove() }
      let tmux = try TmuxSession(
        "\(CruddurBinary.path) hold -e \(fleet) --parallel 2; echo \"exit $?\"", columns: 80,
        in: project.path, environment: ["SERVER_URL": cluster.url(database: "postgres")])
      defer { tmux.kill() }
      let waiting = """
        select count(*) from pg_stat_activity
        where datname like '\(prefix)\\_%' and query like '%pg_sleep%' and state = 'active'
        """
      #expect(try await eventually { try await cluster.value(waiting) == "2" })
      var screen: [String] = []
      #expect(
        try await eventually {
          screen = try tmux.screen()
          return Self.progressRows(screen).contains { $0.contains("2 running") }
        }, "\(screen)")
      let rows = Self.progressRows(screen)
      #expect(rows.count == 1, "\(screen)")
      let line = rows.first ?? ""
      #expect(line.count <= 79, "\(screen)")
      #expect(
        line.hasPrefix("0 done, 1 failed, 2 running, 2 left · "), "\(screen)")
      #expect(
        screen.contains { $0.hasPrefix("✗ 127.0.0.1:\(cluster.port)/\(names[1]): relation") },
        "\(screen)")
      #expect(!screen.contains { $0.contains("\\u{") || $0.contains("[2K") || $0.contains("[K") })

      _ = try await cluster.query("drop database \(gate) with (force)")
      #expect(
        try await eventually { try tmux.screen().contains("exit 1") },
        "\((try? tmux.screen()) ?? [])")
      screen = try tmux.screen()
      #expect(Self.progressRows(screen) == [], "\(screen)")
      #expect(
        screen.contains { $0.contains(": 4 done, 1 failed (run ") }, "\(screen)")
    }
  }
}
