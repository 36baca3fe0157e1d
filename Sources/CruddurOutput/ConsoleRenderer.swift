import CruddurCore
import Foundation

/// Human output for a run: a header per step in the spirit of the old scripts' `== db-create`,
/// what the step printed (prefixed with the task name while several steps run at once), its
/// duration, skipped and cancelled steps marked, and one summary line.
public struct ConsoleRenderer: EventSink {
  public let terminal: Terminal
  public let diagnostics: DiagnosticRenderer
  public let isQuiet: Bool
  public let isVerbose: Bool
  /// How query results are printed; with `.csv` stdout carries the rows alone, so it can be
  /// redirected to a file, and everything else goes to stderr.
  public let rowFormat: RowFormat
  let out: OutputStream
  let rowsOut: OutputStream
  let err: OutputStream
  private let state = RunningSteps()
  private let results = PerStep<RowStream>()
  private let held = QuietOutputBuffer()

  public init(
    terminal: Terminal, diagnostics: DiagnosticRenderer, isQuiet: Bool, isVerbose: Bool = false,
    rowFormat: RowFormat = .table, standardOutput: OutputStream = .standardOutput,
    standardError: OutputStream = .standardError
  ) {
    self.terminal = terminal
    self.diagnostics = diagnostics
    self.isQuiet = isQuiet
    self.isVerbose = isVerbose
    self.rowFormat = rowFormat
    self.out = rowFormat == .table ? standardOutput : standardError
    self.rowsOut = standardOutput
    self.err = standardError
  }

  public func emit(_ event: Event) {
    switch event {
    case .runStarted(let plan):
      state.reset(width: plan.steps.map(\.task.count).max() ?? 0)
      guard !isQuiet else { return }
      let count = plan.steps.count
      out.write(
        terminal.paint("cruddur \(plan.tasks.joined(separator: " ")) on \(plan.environment)", .dim)
          + terminal.paint(" (\(plan.target)), \(count) step\(count == 1 ? "" : "s")", .dim) + "\n")
    case .stepStarted(let step):
      state.started(step.number)
      guard !isQuiet else { return }
      out.write(
        terminal.paint("== \(step.task)", .cyan) + " " + terminal.paint(step.description.summary, .dim) + "\n")
    case .stepCommand(let step, let text):
      guard isVerbose, !isQuiet else { return }
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      out.write(lines.map { prefix(step) + terminal.paint("+ " + Redaction.redact(String($0)), .dim) }.joined(separator: "\n") + "\n")
    case .stepOutput(let step, let line, let stream):
      switch stream {
      case .stderr:
        err.write(prefix(step) + Redaction.redact(line) + "\n")
      case .notice:
        // As psql prints them, on stderr; dimmed, since most ("... does not exist,
        // skipping") are the server being informative, not a problem.
        let text = prefix(step) + terminal.paint(Redaction.redact(line), .dim)
        guard !isQuiet else { return held.hold(text, step: step.number) }
        err.write(text + "\n")
      case .stdout:
        let text = prefix(step) + Redaction.redact(line)
        guard !isQuiet else { return held.hold(text, step: step.number) }
        out.write(text + "\n")
      }
    case .stepRowsStarted(let step, let columns):
      let stream = RowStream(columns: columns, format: rowFormat)
      results.set(step.number, stream)
      let head = stream.start(columns)
      if !head.isEmpty { rowsOut.write(head) }
    case .stepRowChunk(let step, let rows):
      if let text = results.with(step.number, { $0.rows(rows) }) { rowsOut.write(text) }
    case .stepRowsFinished(let step, let count, let commandTag):
      guard var stream = results.remove(step.number) else { return }
      let tail = stream.finish(count: count, commandTag: commandTag)
      if !tail.isEmpty { rowsOut.write(tail) }
    case .stepFinished(let step, let duration, let note):
      let wasParallel = state.isParallel
      state.ended(step.number)
      _ = held.release(step.number)
      guard !isQuiet else { return }
      out.write(
        prefix(step, always: wasParallel)
          + terminal.paint("   done in \(format(duration.seconds))\(note.map { ", \($0)" } ?? "")", .dim) + "\n")
    case .stepFailed(let step, let duration, let list, let exitCode):
      state.ended(step.number)
      // What the failing step printed, held back by -q, comes first: it says why.
      let output = held.release(step.number)
      if !output.isEmpty { err.write(output.joined(separator: "\n") + "\n") }
      let code = exitCode.map { ", exit status \($0)" } ?? ""
      err.write(
        terminal.paint("== \(step.task) failed after \(format(duration.seconds))\(code)", .red) + "\n"
          + diagnostics.render(list))
    case .stepSkipped(let step, let reason):
      state.ended(step.number)
      _ = held.release(step.number)
      guard !isQuiet else { return }
      out.write(terminal.paint("== \(step.task) skipped: \(reason)", .yellow) + "\n")
    case .stepCancelled(let step, let duration):
      state.ended(step.number)
      _ = held.release(step.number)
      err.write(terminal.paint("== \(step.task) cancelled after \(format(duration.seconds))", .yellow) + "\n")
    case .runFinished(let summary):
      out.write(summaryLine(summary) + "\n")
    case .serverReady(let report):
      guard !isQuiet else { return }
      out.write(terminal.paint(report.sentence, .dim) + "\n")
    }
  }

  /// `task | ` while several steps run at once, so interleaved lines stay attributable.
  private func prefix(_ step: PlannedStep, always: Bool = false) -> String {
    guard always || state.isParallel else { return "" }
    let padded = step.task.padding(toLength: state.width, withPad: " ", startingAt: 0)
    return terminal.paint(padded + " | ", .dim)
  }

  func summaryLine(_ summary: RunSummary) -> String {
    let total = format(summary.seconds)
    let skipped = summary.count(.skipped)
    if summary.succeeded {
      let n = summary.count(.succeeded)
      let skippedText = skipped > 0 ? ", \(skipped) skipped" : ""
      return terminal.paint("✓ \(n) step\(n == 1 ? "" : "s") done\(skippedText) in \(total)", .green)
    }
    var parts = ["\(summary.count(.succeeded)) done"]
    if skipped > 0 { parts.append("\(skipped) skipped") }
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

/// Which steps are running now, to know when output needs a task prefix.
final class RunningSteps: @unchecked Sendable {
  // Invariant: the fields are only touched while holding `lock`.
  private let lock = NSLock()
  private var running: Set<Int> = []
  private var taskWidth = 0
  // Set when a second step starts beside another, cleared when none runs: output of the
  // last step still running keeps its prefix, or its lines would look like nobody's.
  private var overlapping = false

  func reset(width: Int) {
    lock.withLock {
      running = []
      taskWidth = width
      overlapping = false
    }
  }
  func started(_ number: Int) {
    lock.withLock {
      running.insert(number)
      if running.count > 1 { overlapping = true }
    }
  }
  func ended(_ number: Int) {
    lock.withLock {
      running.remove(number)
      if running.isEmpty { overlapping = false }
    }
  }
  var isParallel: Bool { lock.withLock { overlapping } }
  var width: Int { lock.withLock { taskWidth } }
}
