import CruddurCore
import CruddurOutput
import CruddurPostgres
import Foundation
import Synchronization

/// What a fleet run shows as it goes. On a terminal: one progress line on stderr, redrawn
/// (done / failed / running / left, rate, ETA), with each failure printed above it as it
/// happens. Otherwise one line per finished target on stdout. With `--format json`: a
/// `fleet_started`, a `target_finished` per target and a `fleet_finished` line, besides
/// the targets' own step events (each with `target`).
final class FleetConsole: FleetObserver {
  let fleet: String
  let format: RunCommand.Format
  let quiet: Bool
  let terminal: Terminal
  let errorTerminal: Terminal
  let redraws: Bool
  private struct State {
    var started = ContinuousClock.now
    var done = 0
    var failed = 0
    var running = 0
    var left: Int
    var lastDrawn: ContinuousClock.Instant?
    /// The summary is coming: no progress line may be drawn again.
    var isEnded = false
  }
  private let state: Mutex<State>
  /// Cut to the terminal's width at each draw, so it never wraps into stale rows.
  private let line = ProgressLine(columns: { TerminalSize.columns(of: 2) })
  /// Redraws once a second, so the counts, rate and ETA stay current while no target
  /// starts or ends (a draw skipped by the ten-a-second limit is made up for).
  private let ticker = Mutex<Task<Void, Never>?>(nil)

  init(
    fleet: String, total: Int, format: RunCommand.Format, quiet: Bool, terminal: Terminal,
    errorTerminal: Terminal
  ) {
    self.fleet = fleet
    self.format = format
    self.quiet = quiet
    self.terminal = terminal
    self.errorTerminal = errorTerminal
    redraws = format != .json && errorTerminal.isInteractive && !quiet
    state = Mutex(State(left: total))
  }

  func begin(header: String, runID: String, targets: Int) {
    switch format {
    case .json:
      json(["event": "fleet_started", "environment": fleet, "run_id": runID, "targets": targets])
    case .text, .csv:
      if !quiet { OutputStream.standardOutput.write(header + "\n") }
    }
    guard redraws else { return }
    ticker.withLock {
      $0 = Task { [weak self] in
        while !Task.isCancelled {
          try? await Task.sleep(for: .seconds(1))
          self?.draw(force: true)
        }
      }
    }
  }

  func targetStarted(_ target: FleetTarget) {
    state.withLock { state in
      state.running += 1
      state.left -= 1
    }
    draw(force: false)
  }

  func targetFinished(_ target: FleetTarget, _ result: FleetTargetResult, running: Int, left: Int) {
    state.withLock { state in
      state.running -= 1
      switch result.outcome {
      case .failed: state.failed += 1
      default: state.done += 1
      }
    }
    switch format {
    case .json:
      var object: [String: Any] = [
        "event": "target_finished", "target": result.label, "outcome": result.outcome.rawValue,
      ]
      if let seconds = result.seconds { object["duration_ms"] = Int((seconds * 1000).rounded()) }
      if let first = result.diagnostics.first {
        object["error"] = Redaction.redact(first.message)
        if let code = first.code { object["sqlstate"] = code }
        if let location = first.location, location.line > 0 {
          object["file"] = location.path
          object["line"] = location.line
        }
      }
      json(object)
    case .text, .csv:
      let line: String?
      if result.outcome == .failed {
        line = errorTerminal.paint("✗", .red) + " " + FleetSummaryRenderer.failureLine(result)
      } else if !redraws && !quiet {
        let time = result.seconds.map { "  \(Int(($0 * 1000).rounded())) ms" } ?? ""
        line =
          terminal.paint("✓", .green)
          + " \(result.label)\(result.outcome == .alreadyDone ? "  done before" : time)"
      } else {
        line = nil
      }
      if redraws {
        draw(force: line != nil, above: line)
      } else if let line {
        if result.outcome == .failed {
          OutputStream.standardError.write(line + "\n")
        } else {
          OutputStream.standardOutput.write(line + "\n")
        }
      }
    }
  }

  func end(_ summary: FleetSummary, resumeCommand: String) {
    switch format {
    case .json:
      var object: [String: Any] = [
        "event": "fleet_finished", "environment": fleet, "run_id": summary.runID,
        "outcome": summary.isInterrupted
          ? "interrupted" : summary.succeeded ? "succeeded" : "failed",
        "duration_ms": Int((summary.seconds * 1000).rounded()),
      ]
      var counts: [String: Int] = [:]
      for outcome in FleetTargetResult.Outcome.allCases {
        counts[outcome.rawValue] = summary.count(outcome)
      }
      object["counts"] = counts
      object["failed_targets"] = summary.failed.map(\.label)
      json(object)
    case .text, .csv:
      if redraws { finish() }
      OutputStream.standardOutput.write(
        FleetSummaryRenderer.text(
          summary, fleet: fleet, resumeCommand: resumeCommand, terminal: terminal))
    }
  }

  /// Ten times a second at most, whenever a line is printed above it (`above`: the line
  /// erased, that line printed, the line drawn again, all in one write under the lock, so
  /// the ticker can never draw in between), and once a second by the ticker.
  private func draw(force: Bool, above: String? = nil) {
    guard redraws else { return }
    state.withLock { state in
      guard !state.isEnded else { return }
      let now = ContinuousClock.now
      if !force, let last = state.lastDrawn, now - last < .milliseconds(100) { return }
      state.lastDrawn = now
      var text = ""
      if let above {
        line.erase { text += $0 }
        text += above + "\n"
      }
      line.draw(
        FleetSummaryRenderer.progress(
          fleet: fleet, done: state.done, failed: state.failed, running: state.running,
          left: state.left, elapsed: (now - state.started).seconds,
          columns: TerminalSize.columns(of: 2) ?? 80),
        paint: { $0 }, write: { text += $0 })
      OutputStream.standardError.write(text)
    }
  }

  /// The line erased for good, before the summary.
  private func finish() {
    ticker.withLock { $0?.cancel() }
    state.withLock { state in
      state.isEnded = true
      line.erase { OutputStream.standardError.write($0) }
    }
  }

  private func json(_ object: [String: Any]) {
    var object = object
    object["time"] = ISO8601DateFormatter().string(from: Date())
    guard
      let data = try? JSONSerialization.data(
        withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    else { return }
    OutputStream.standardOutput.write(String(decoding: data, as: UTF8.self) + "\n")
  }
}
