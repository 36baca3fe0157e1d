import CruddurCore

/// How a `Session` ended: one exit status (see `Session` for which wins), what its body
/// reported when it started (a run's summary, a fleet's), and the error to show when
/// something other than a step refused or failed (consent, a guard, an after-success hook).
/// A failed step's diagnostics went to the event sink already.
public struct SessionOutcome<Report: Sendable>: Sendable {
  public var status: ExitStatus
  /// Nil when the body did not start (refused, or stopped before it) or was stopped by
  /// force.
  public var report: Report?
  /// What refused the run or failed after it, to render; nil when there is nothing to add.
  public var error: (any Error)?

  public init(status: ExitStatus, report: Report? = nil, error: (any Error)? = nil) {
    self.status = status
    self.report = report
    self.error = error
  }

  public static var interrupted: SessionOutcome { SessionOutcome(status: .interrupted) }

  /// Refused before any step by `error`: its own status (3 for consent), interrupted for a
  /// cancellation, 1 for an error that does not say.
  public static func refused(by error: any Error) -> SessionOutcome {
    if error is CancellationError { return .interrupted }
    return SessionOutcome(status: status(of: error), error: error)
  }

  static func status(of error: any Error) -> ExitStatus {
    (error as? any CruddurError)?.exitStatus ?? .stepFailed
  }

  /// The status the command ends with: the outcome's, returned when there is nothing more
  /// to show (a failed or interrupted run has said it through its events); otherwise the
  /// error is thrown, for the CLI's one funnel to render and end with its status, which is
  /// the outcome's by construction (`refused(by:)`). Never exits: only the CLI's `main` does.
  public func exitStatus() throws -> ExitStatus {
    if let error { throw error }
    return status
  }
}

/// How a `RunSession` (one plan, one database) ended.
public typealias RunOutcome = SessionOutcome<RunSummary>

extension SessionOutcome where Report == RunSummary {
  /// The run's summary; nil when no step was started.
  public var summary: RunSummary? {
    get { report }
    set { report = newValue }
  }
}
