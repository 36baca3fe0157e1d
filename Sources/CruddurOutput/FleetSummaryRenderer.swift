import CruddurCore
import Foundation

/// The end of a fleet run in words: counts by result, each failed target with its error
/// (file:line and SQLSTATE where there is one), the slowest targets, how to resume.
public enum FleetSummaryRenderer {
  /// How many failed targets are listed one by one before "and N more".
  static let failedShown = 20
  static let slowestShown = 5

  public static func text(
    _ summary: FleetSummary, fleet: String, resumeCommand: String?, terminal: Terminal
  ) -> String {
    let total = summary.results.count
    var out = ""
    let counts = FleetTargetResult.Outcome.allCases.compactMap { outcome -> String? in
      let n = summary.count(outcome)
      return n == 0 ? nil : "\(n) \(outcome.rawValue)"
    }.joined(separator: ", ")
    if !summary.failed.isEmpty {
      out += terminal.paint("failed targets:", .bold) + "\n"
      for result in summary.failed.prefix(failedShown) {
        out += "  " + terminal.paint("✗", .red) + " " + failureLine(result) + "\n"
      }
      if summary.failed.count > failedShown {
        out +=
          "  and \(summary.failed.count - failedShown) more (`cruddur runs \(summary.runID)` lists them)\n"
      }
    }
    let slowest = summary.slowest(slowestShown)
    if slowest.count > 1 {
      out += terminal.paint("slowest targets:", .bold) + "\n"
      for result in slowest {
        out += "  \(result.label)  \(duration(result.seconds ?? 0))\n"
      }
    }
    switch summary.stopReason {
    case .canaryFailed(let failed, let of)?:
      out +=
        terminal.paint("the canary failed (\(failed) of \(of)): no other target was started", .red)
        + "\n"
    case .maxFailures(let k)?:
      out +=
        terminal.paint("--max-failures \(k) reached: no new target was started after it", .red)
        + "\n"
    case nil: break
    }
    let head: String
    if summary.isInterrupted {
      head = terminal.paint("✗ interrupted", .red)
    } else if summary.succeeded {
      head = terminal.paint("✓ fleet \(fleet)", .green)
    } else {
      head = terminal.paint("✗ fleet \(fleet)", .red)
    }
    out +=
      "\(head): \(total) target\(total == 1 ? "" : "s") in \(duration(summary.seconds)): \(counts) (run \(summary.runID))\n"
    if let resumeCommand, !summary.succeeded {
      out += "resume with: \(resumeCommand)\n"
    }
    return out
  }

  /// "127.0.0.1:5433/t_017: relation "notes" already exists (db/x.sql:2:1, SQLSTATE 42P07)".
  public static func failureLine(_ result: FleetTargetResult) -> String {
    guard let first = result.diagnostics.first else { return "\(result.label): failed" }
    var place: [String] = []
    if let location = first.location, location.line > 0 {
      place.append("\(location.path):\(location.line):\(location.column)")
    }
    if let code = first.code, !first.message.contains(code) { place.append("SQLSTATE \(code)") }
    let message = Redaction.redact(first.message).terminalSafe
    return "\(result.label): \(message)"
      + (place.isEmpty ? "" : " (\(place.joined(separator: ", ")))")
  }

  static func duration(_ seconds: Double) -> String {
    seconds < 1 ? "\(Int((seconds * 1000).rounded())) ms" : String(format: "%.1f s", seconds)
  }

  /// The live line: "fleet tenants: 120 done, 1 failed, 8 running, 71 left · 40/s · ETA 2 s".
  /// The live line. Wider than `columns` (less the last), the fleet's name goes first, so
  /// the counts stay whole; what is still too wide is then cut at its end by the caller.
  public static func progress(
    fleet: String, done: Int, failed: Int, running: Int, left: Int, elapsed: Double,
    columns: Int? = nil
  ) -> String {
    let finished = done + failed
    let name = "fleet \(fleet): "
    var line = "\(done) done, \(failed) failed, \(running) running, \(left) left"
    if finished > 0, elapsed > 0 {
      let rate = Double(finished) / elapsed
      line += String(format: " · %.1f/s", rate)
      let remaining = Double(left + running) / rate
      line += " · ETA \(duration(remaining))"
    }
    if let columns, DisplayWidth.of(name + line) > columns - 1 { return line }
    return name + line
  }
}
