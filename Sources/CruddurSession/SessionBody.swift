/// What a `Session` runs once consent is given, inside its signal window: one plan on one
/// database (`PlanRun`: guards, runner, after-success hooks) or on every target of a fleet.
/// The session owns consent, signals, the reaper and the statuses rows 1 to 3 of its table
/// decide; the body decides the rest.
public protocol SessionBody: Sendable {
  /// What the caller renders after the run (a run's summary, a fleet's).
  associatedtype Report: Sendable

  /// Runs once and says how it ended; never throws and never exits. The task's
  /// cancellation is the first signal's stop: start nothing more, stop what runs, and
  /// return once it has stopped (interrupted, 130, when nothing was started).
  /// `consentWait` is how long consent waited for an answer, for a summary's time to leave
  /// out.
  func run(consentWait: Duration) async -> SessionOutcome<Report>

  /// The second signal's stop: kill what runs now, without waiting for it. The session
  /// returns interrupted at once and never waits for `run` again.
  func forceStop()
}
