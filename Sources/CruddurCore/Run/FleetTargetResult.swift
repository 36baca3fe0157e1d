/// How one target of a fleet run ended, for the summary and `cruddur runs`.
public struct FleetTargetResult: Sendable {
  public enum Outcome: String, Sendable, CaseIterable {
    case succeeded = "done"
    case failed
    /// Not started: the canary failed, `--max-failures` was reached, or the run was interrupted.
    case notStarted = "not started"
    /// `--resume`: the run finished this target before.
    case alreadyDone = "done before"
  }

  /// `host:port/database`: what names a target everywhere (no user, no password).
  public var label: String
  public var outcome: Outcome
  public var seconds: Double?
  /// The failing step's diagnostics (file:line, SQLSTATE where there is one).
  public var diagnostics: [Diagnostic]

  public init(
    label: String, outcome: Outcome, seconds: Double? = nil, diagnostics: [Diagnostic] = []
  ) {
    self.label = label
    self.outcome = outcome
    self.seconds = seconds
    self.diagnostics = diagnostics
  }
}

/// The end of a fleet run: every target's result, in fleet order.
public struct FleetSummary: Sendable {
  public var runID: String
  public var results: [FleetTargetResult]
  public var seconds: Double
  public var stopReason: FleetScheduler.StopReason?
  public var isInterrupted: Bool

  public init(
    runID: String, results: [FleetTargetResult], seconds: Double,
    stopReason: FleetScheduler.StopReason?,
    isInterrupted: Bool
  ) {
    self.runID = runID
    self.results = results
    self.seconds = seconds
    self.stopReason = stopReason
    self.isInterrupted = isInterrupted
  }

  public func count(_ outcome: FleetTargetResult.Outcome) -> Int {
    results.lazy.filter { $0.outcome == outcome }.count
  }
  public var failed: [FleetTargetResult] { results.filter { $0.outcome == .failed } }
  /// The `n` targets that took longest, slowest first.
  public func slowest(_ n: Int) -> [FleetTargetResult] {
    Array(
      results.filter { $0.seconds != nil && $0.outcome == .succeeded }.sorted {
        ($0.seconds ?? 0) > ($1.seconds ?? 0)
      }
      .prefix(n))
  }
  /// Exit 1 when any target failed or was left unstarted by a failure.
  public var succeeded: Bool { !isInterrupted && failed.isEmpty && count(.notStarted) == 0 }
}
