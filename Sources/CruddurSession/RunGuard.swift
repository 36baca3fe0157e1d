import CruddurCore

/// Something an executor's module must hold for a whole run, taken before its first step
/// (the Postgres run lock and its stamp check): a guard that cannot be taken refuses the run
/// before anything runs, instead of a step finding out half-way.
///
/// The composition (the binary) lists the guards; `RunSession` acquires them in that order
/// after consent and releases them, last taken first, after the after-success hooks, on
/// every way out but a forced stop (then the process's exit releases them: a lock is held
/// by a connection, not by a step).
public protocol RunGuard: Sendable {
  /// Takes what the run needs; throws to refuse it (the error's `exitStatus` is the run's).
  /// Cancellation (a stop while waiting, as `--wait` does for a lock) is an interrupted run.
  func acquire(for executable: ExecutablePlan, in context: RunGuardContext) async throws
    -> RunGuardHold
}

/// What a guard is given to acquire with: the run's resources (the guard may keep what it
/// takes there, for steps to find), its events and the project's root.
public struct RunGuardContext: Sendable {
  public var resources: RunResources
  public var events: any EventSink
  public var projectRoot: String

  public init(resources: RunResources, events: any EventSink, projectRoot: String) {
    self.resources = resources
    self.events = events
    self.projectRoot = projectRoot
  }
}

/// What an acquired guard gives back at the run's end.
public struct RunGuardHold: Sendable {
  let release: @Sendable () async -> Void

  public init(release: @escaping @Sendable () async -> Void) { self.release = release }

  /// A guard with nothing to hold for this plan (no destructive database step).
  public static let nothing = RunGuardHold {}
}
