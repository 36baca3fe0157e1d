/// What a run reports, in order. Renderers (console, JSON lines) turn these into output.
public enum Event: Sendable {
  case runStarted(Plan)
  case stepStarted(step: PlannedStep)
  /// A line of output a step produced (a shell line, a server notice).
  case stepOutput(step: PlannedStep, line: String, stream: StepStream)
  /// A query's result begins: its columns (none for a command that returns no rows).
  case stepRowsStarted(step: PlannedStep, columns: RowColumns)
  /// The next rows of that result, in order, as they arrived; NULL is nil.
  case stepRowChunk(step: PlannedStep, rows: [[String?]])
  /// The result is complete: how many rows came and the command tag ("SELECT 3", "INSERT 0 1").
  case stepRowsFinished(step: PlannedStep, count: Int, commandTag: String?)
  /// How far the step has got; sent a few times a second at most, while it runs.
  case stepProgress(step: PlannedStep, progress: StepProgress)
  case stepFinished(step: PlannedStep, duration: Duration, note: String?)
  /// `exitCode` is the failing command's status when the step ran a process.
  case stepFailed(step: PlannedStep, duration: Duration, diagnostics: [Diagnostic], exitCode: Int32? = nil)
  case stepSkipped(step: PlannedStep, reason: String)
  /// The step was stopped before it finished: a sibling failed or the run was interrupted.
  case stepCancelled(step: PlannedStep, duration: Duration)
  /// What a step is about to send or run (a statement, a shell command), shown with `-v`.
  case stepCommand(step: PlannedStep, text: String)
  case runFinished(RunSummary)
  /// The server an `embedded: true` environment uses, once per run, when first connected.
  case serverReady(ServerReport)
  /// The step has waited `waited` for a lock these sessions hold; sent again when they change.
  case stepBlocked(step: PlannedStep, waited: Duration, blockers: [LockBlocker])
  /// The step's transaction was rolled back (`reason`: a lock timeout, a deadlock) and runs
  /// again after `delay`, as attempt `attempt` of `attempts`.
  case stepRetrying(step: PlannedStep, attempt: Int, attempts: Int, delay: Duration, reason: String)
}

/// Where a step's line of output came from.
public enum StepStream: String, Sendable {
  case stdout, stderr
  /// A server notice (`NOTICE:  ...`), shown on stderr as psql shows it.
  case notice
}

/// An error from a step that ran a process, carrying the process's exit status.
public protocol ExitCodeReporting: Error {
  var exitCode: Int32 { get }
}

/// Where events go. Implementations must be safe to call from any task.
public protocol EventSink: Sendable {
  func emit(_ event: Event)
}
