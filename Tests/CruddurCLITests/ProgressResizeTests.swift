import CruddurPostgres
import CruddurTestSupport
import Foundation
import Testing

/// A resize redraws the progress line at once, on SIGWINCH itself, not at the next progress
/// (up to a second later). Told apart without a clock: while a load waits, each progress
/// draw has new figures (its rate falls and its ETA grows every second), so the only draw
/// that repeats the text of the one before it is the redraw the signal made.
extension DatabaseTests {
  @Suite struct ProgressResizeTests {
    /// The texts of the progress lines drawn, in order, from the terminal's raw bytes.
    static func draws(in path: String) -> [String] {
      let raw = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
      let plain = raw.replacingOccurrences(
        of: "\u{1B}\\[[0-9;]*[A-Za-z]", with: "", options: .regularExpression)
      return plain.split(whereSeparator: { $0 == "\r" || $0 == "\n" }).map(String.init).filter {
        $0.hasPrefix("db:load:big | ") && $0.contains(" statements, ")
      }
    }

    @Test("a resize redraws the line shown at once with the same figures, cut to the new width")
    func redrawOnResize() async throws {
      let loading = try await ProgressTerminalTests.start(columns: 200)
      let log = loading.project.path + "/terminal.log"
      defer {
        loading.tmux.kill()
        loading.project.remove()
      }
      try loading.tmux.recordOutput(to: log)
      // Two draws recorded: the line is up and the load is waiting at the gate.
      #expect(try await eventually { Self.draws(in: log).count >= 2 }, "\(Self.draws(in: log))")
      let before = Self.draws(in: log)
      #expect(
        zip(before, before.dropFirst()).allSatisfy { $0 != $1 }, "progress draws differ: \(before)")
      try loading.tmux.resize(columns: 120)
      var draws: [String] = []
      #expect(
        try await eventually {
          draws = Self.draws(in: log)
          return zip(draws, draws.dropFirst()).contains { $0 == $1 }
        }, "no draw repeated the line shown after the resize: \(draws)")
      let screen = try loading.tmux.screen()
      #expect(ProgressTerminalTests.progressRows(screen).count == 1, "\(screen)")
      #expect(ProgressTerminalTests.problems(screen, columns: 120) == [], "\(screen)")
      _ = try await loading.gate.execute("select pg_advisory_unlock(5050)", parameters: [])
      #expect(try await eventually { try loading.tmux.screen().contains("exit 0") })
      #expect(ProgressTerminalTests.progressRows(try loading.tmux.screen()) == [])
      await loading.gate.close()
    }
  }
}
