import CruddurCore
import Foundation
import Synchronization

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
  /// Whether stderr is a terminal: progress is then one line redrawn in place, otherwise a
  /// plain line every 10 s, so a long load in a CI log still shows it is moving.
  let redrawsProgress: Bool
  private let state = RunningSteps()
  private let results = PerStep<RowStream>()
  private let held = QuietOutputBuffer()
  private let progressLine: ProgressLine
  private let progressPacing: ProgressPacing

  public init(
    terminal: Terminal, diagnostics: DiagnosticRenderer, isQuiet: Bool, isVerbose: Bool = false,
    rowFormat: RowFormat = .table, redrawsProgress: Bool,
    standardOutput: OutputStream = .standardOutput, standardError: OutputStream = .standardError,
    columns: (@Sendable () -> Int?)? = nil
  ) {
    self.terminal = terminal
    self.diagnostics = diagnostics
    self.isQuiet = isQuiet
    self.isVerbose = isVerbose
    self.rowFormat = rowFormat
    self.redrawsProgress = redrawsProgress
    self.rowsOut = standardOutput
    self.err = standardError
    self.out = rowFormat == .table ? standardOutput : standardError
    let fileDescriptor = standardError.fileDescriptor
    progressLine = ProgressLine(columns: columns ?? { TerminalSize.columns(of: fileDescriptor) })
    // A redrawn line waits a second (a quick file shows none); a log line waits 10 s.
    progressPacing = redrawsProgress ? ProgressPacing(first: .seconds(1), every: .zero)
      : ProgressPacing(first: .seconds(10), every: .seconds(10))
  }

  public func emit(_ event: Event) {
    if case .stepProgress(let step, let progress) = event { return show(progress, of: step) }
    // Whatever is printed next starts on a clean line, not after the progress text.
    progressLine.erase { err.write($0) }
    switch event {
    case .runStarted(let plan):
      state.reset(width: plan.steps.map { DisplayWidth.of($0.task) }.max() ?? 0)
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
    case .stepProgress:
      return
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
    case .stepBlocked(let step, let waited, let blockers):
      // On stderr, like a notice: someone at the terminal should see who holds the lock
      // while it is still held, not after the step gave up.
      guard !isQuiet else { return }
      let who = blockers.map { Redaction.redact($0.summary) }
      if redrawsProgress {
        // On a terminal it is the step's live line, cut to the width like progress, and
        // replaced by the next progress or erased before any other output.
        let text = (plainPrefix(step, always: true) + "waiting \(LockBlocker.seconds(waited.seconds)) for a lock held by "
          + who.joined(separator: "; ")).terminalSafe
        let terminal = terminal
        progressLine.draw(text, paint: { terminal.paint($0, .yellow) }, write: { err.write($0) })
        return
      }
      err.write(
        prefix(step) + terminal.paint("waiting \(LockBlocker.seconds(waited.seconds)) for a lock held by ", .yellow)
          + who.joined(separator: "; ") + "\n")
    case .stepRetrying(let step, let attempt, let attempts, let delay, let reason):
      guard !isQuiet else { return }
      let pause = Int((delay.seconds * 1000).rounded())
      err.write(
        prefix(step) + terminal.paint("\(Redaction.redact(reason)): rolled back; attempt \(attempt) of \(attempts) in \(pause)ms", .yellow)
          + "\n")
    }
  }

  /// Draws the progress line shown (if any) again at the terminal's width now: what the CLI
  /// calls when the terminal is resized (SIGWINCH), so the line fits at once, not at the next
  /// progress a second later.
  public func redrawProgress() {
    guard redrawsProgress else { return }
    progressLine.redraw { err.write($0) }
  }

  private func show(_ progress: StepProgress, of step: PlannedStep) {
    guard !isQuiet, progressPacing.isDue(step: step.number, at: progress.elapsed) else { return }
    // Plain text, painted once as a whole: a painted prefix inside a painted line would
    // have its escape bytes escaped (`\u{1B}[2m` on the screen).
    let text = (plainPrefix(step, always: true) + ProgressText.line(progress)).terminalSafe
    if redrawsProgress {
      let terminal = terminal
      progressLine.draw(text, paint: { terminal.paint($0, .dim) }, write: { err.write($0) })
    } else {
      err.write(text + "\n")
    }
  }

  /// `task | ` while several steps run at once, so interleaved lines stay attributable.
  private func prefix(_ step: PlannedStep, always: Bool = false) -> String {
    let text = plainPrefix(step, always: always)
    return text.isEmpty ? "" : terminal.paint(text, .dim)
  }

  private func plainPrefix(_ step: PlannedStep, always: Bool = false) -> String {
    guard always || state.isParallel else { return "" }
    // Padded by display width: `padding(toLength:)` counts UTF-16 units and would cut a
    // name with a combining mark, and a wide character takes two columns.
    let blanks = String(repeating: " ", count: max(0, state.width - DisplayWidth.of(step.task)))
    return step.task + blanks + " | "
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
final class RunningSteps: Sendable {
  private struct State {
    var running: Set<Int> = []
    var taskWidth = 0
    // Set when a second step starts beside another, cleared when none runs: output of the
    // last step still running keeps its prefix, or its lines would look like nobody's.
    var overlapping = false
  }
  private let state = Mutex(State())

  func reset(width: Int) {
    state.withLock { $0 = State(taskWidth: width) }
  }
  func started(_ number: Int) {
    state.withLock { state in
      state.running.insert(number)
      if state.running.count > 1 { state.overlapping = true }
    }
  }
  func ended(_ number: Int) {
    state.withLock { state in
      state.running.remove(number)
      if state.running.isEmpty { state.overlapping = false }
    }
  }
  var isParallel: Bool { state.withLock { $0.overlapping } }
  var width: Int { state.withLock { $0.taskWidth } }
}
