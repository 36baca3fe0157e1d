import CruddurCore
import CruddurSession

/// The Postgres module's guard for a run: one destructive run at a time per target
/// database, and none on a database another environment owns. Taken before the first step
/// when the plan has a destructive database step (nothing to hold otherwise): the advisory
/// lock first, then the stamp check on the lock's own session, so no other cruddur run
/// can restamp the database between the check and the steps. Refuses with the holder's
/// name (exit 3), or waits for it with `wait`; released after the after-success hooks.
public struct RunLockGuard: RunGuard {
  public var wait: Bool
  /// Said once when `wait` finds the lock taken (who holds it, on which database).
  public var onWait: @Sendable (String) -> Void

  public init(wait: Bool, onWait: @escaping @Sendable (String) -> Void = { _ in }) {
    self.wait = wait
    self.onWait = onWait
  }

  public func acquire(for executable: ExecutablePlan, in context: RunGuardContext) async throws
    -> RunGuardHold
  {
    let lock = try await AdvisoryLock.acquire(
      for: executable, resources: context.resources, projectRoot: context.projectRoot, wait: wait,
      events: context.events, onWait: onWait)
    guard let lock else { return .nothing }
    return RunGuardHold { await lock.release() }
  }
}
