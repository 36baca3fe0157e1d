import CruddurCore

/// Human output for a run: a header per step in the spirit of the old scripts' `== db-create`,
/// what the step printed, its duration, and one summary line.
public struct ConsoleRenderer: EventSink {
  public let terminal: Terminal
  public let diagnostics: DiagnosticRenderer
  public let isQuiet: Bool
  let out = OutputStream.standardOutput
  let err = OutputStream.standardError

  public init(terminal: Terminal, diagnostics: DiagnosticRenderer, isQuiet: Bool) {
    self.terminal = terminal
    self.diagnostics = diagnostics
    self.isQuiet = isQuiet
  }

  public func emit(_ event: Event) {
    switch event {
    case .runStarted(let plan):
      guard !isQuiet else { return }
      let count = plan.steps.count
      out.write(
        terminal.paint("cruddur \(plan.tasks.joined(separator: " ")) on \(plan.environment)", .dim)
          + terminal.paint(" (\(plan.target)), \(count) step\(count == 1 ? "" : "s")", .dim) + "\n")
    case .stepStarted(let step):
      guard !isQuiet else { return }
      out.write(
        terminal.paint("== \(step.task)", .cyan) + " " + terminal.paint(step.description.summary, .dim) + "\n")
    case .stepOutput(_, let line, let isError):
      if isError { err.write(Redaction.redact(line) + "\n") } else if !isQuiet { out.write(Redaction.redact(line) + "\n") }
    case .stepRows(_, let rows):
      out.write(RowTableRenderer.render(rows))
    case .stepFinished(_, let duration, let note):
      guard !isQuiet else { return }
      out.write(terminal.paint("   done in \(format(duration.seconds))\(note.map { ", \($0)" } ?? "")", .dim) + "\n")
    case .stepFailed(let step, _, let list):
      err.write(terminal.paint("== \(step.task) failed", .red) + "\n" + diagnostics.render(list))
    case .stepSkipped(let step, let reason):
      guard !isQuiet else { return }
      out.write(terminal.paint("== \(step.task) skipped: \(reason)", .yellow) + "\n")
    case .runFinished(let summary):
      out.write(summaryLine(summary) + "\n")
    }
  }

  func summaryLine(_ summary: RunSummary) -> String {
    let total = format(summary.seconds)
    if summary.succeeded {
      let n = summary.count(.succeeded)
      return terminal.paint("✓ \(n) step\(n == 1 ? "" : "s") done in \(total)", .green)
    }
    var parts = ["\(summary.count(.succeeded)) done"]
    let failed = summary.steps.filter { $0.outcome == .failed }.map(\.task)
    if !failed.isEmpty { parts.append("failed: \(failed.joined(separator: ", "))") }
    let cancelled = summary.steps.filter { $0.outcome == .cancelled }.map(\.task)
    if !cancelled.isEmpty { parts.append("cancelled: \(cancelled.joined(separator: ", "))") }
    let notStarted = summary.steps.filter { $0.outcome == .notStarted }.map(\.task)
    if !notStarted.isEmpty { parts.append("never started: \(notStarted.joined(separator: ", "))") }
    let head = summary.isInterrupted ? "✗ interrupted" : "✗ run failed"
    return terminal.paint("\(head) after \(total): \(parts.joined(separator: "; "))", .red)
  }

  func format(_ seconds: Double) -> String {
    seconds < 1 ? "\(Int((seconds * 1000).rounded())) ms" : "\((seconds * 100).rounded() / 100) s"
  }
}
