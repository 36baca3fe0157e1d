import CruddurCore

/// How a `RunSession` ended: one exit status (see `RunSession` for which wins), the run's
/// summary when the runner started, and the error to show when something other than a step
/// refused or failed (consent, a guard, an after-success hook). A failed step's diagnostics
/// went to the event sink already.
public struct RunOutcome: Sendable {
  public var status: ExitStatus
  /// Nil when no step was started: refused, or stopped before the runner.
  public var summary: RunSummary?
  /// What refused the run or failed after it, to render; nil when there is nothing to add.
  public var error: (any Error)?

  public init(status: ExitStatus, summary: RunSummary? = nil, error: (any Error)? = nil) {
    self.status = status
    self.summary = summary
    self.error = error
  }

  static let interrupted = RunOutcome(status: .interrupted)

  /// Refused before any step by `error`: its own status (3 for consent), interrupted for a
  /// cancellation, 1 for an error that does not say.
  static func refused(by error: any Error) -> RunOutcome {
    if error is CancellationError { return .interrupted }
    return RunOutcome(status: status(of: error), error: error)
  }

  static func status(of error: any Error) -> ExitStatus {
    (error as? any CruddurError)?.exitStatus ?? .stepFailed
  }
}
