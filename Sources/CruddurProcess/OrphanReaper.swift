import CProcessSpawn
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Makes cruddur the subreaper of its descendants (PR_SET_CHILD_SUBREAPER), so a process
/// that left its step's process group (`setsid`) and lost its parent becomes cruddur's
/// child instead of init's, and a stopped run can still find and end it.
///
/// The rule: a stop ends what the stopped steps left, in their groups or escaped from them.
/// An escapee is told apart by when it was adopted: its parent, in a group the stop ended,
/// died with the stop, so it is adopted after the stop began. What was adopted before (a
/// daemon a finished step started with `setsid`, as the README says to keep one; the
/// embedded postmaster, once `pg_ctl start` returned) is not the stop's and is left
/// running. The embedded postmaster is spared by pid too (`spare`), for a `pg_ctl start`
/// that finished after the stop began.
///
/// Adopted processes that exited are reaped by pid, never with `waitpid(-1)`: the children
/// cruddur spawned (`SpawnedChildren`) are waited for by their spawner alone.
public final class OrphanReaper: Sendable {
  public static let shared = OrphanReaper()

  private struct State {
    var isEnabled = false
    /// Adopted and living when the stop began; nil until then.
    var adoptedBeforeStop: Set<pid_t>?
    var spared: Set<pid_t> = []
  }
  private let state = Mutex(State())

  /// Becomes the subreaper of every process started from now on; false where the kernel
  /// refuses (the run then works as before, without finding escapees).
  @discardableResult
  public func enable() -> Bool {
    let enabled = cruddur_become_child_subreaper() == 0
    state.withLock { $0.isEnabled = enabled }
    return enabled
  }

  /// Never ended: the embedded server cruddur started, whose postmaster pg_ctl detached.
  public func spare(_ pid: pid_t) { _ = state.withLock { $0.spared.insert(pid) } }

  /// The stop began: what is adopted now is not the stopped steps'.
  public func markStop() {
    guard state.withLock({ $0.isEnabled && $0.adoptedBeforeStop == nil }) else { return }
    let now = Set(Self.adopted().filter { !$0.isZombie }.map(\.pid))
    state.withLock { if $0.adoptedBeforeStop == nil { $0.adoptedBeforeStop = now } }
  }

  /// After a stopped run's steps ended: TERM to each process adopted since the stop (its
  /// group too when it leads one), KILL to what is left after the grace period; returns how
  /// many were ended. Their own children, orphaned in turn, are adopted and ended as well.
  @discardableResult
  public func endAdoptedSinceStop(gracePeriod: Duration, signal first: Int32 = SIGTERM) -> Int {
    let (before, spared): (Set<pid_t>?, Set<pid_t>) = state.withLock { ($0.adoptedBeforeStop, $0.spared) }
    guard let before else { return 0 }
    var ended: Set<pid_t> = []
    let deadline = ContinuousClock.now + gracePeriod
    var signal = first
    while true {
      reapExited()
      let escaped = Self.adopted().filter { !$0.isZombie && !before.contains($0.pid) && !spared.contains($0.pid) }
      if escaped.isEmpty { break }
      if ContinuousClock.now >= deadline { signal = SIGKILL }
      for process in escaped {
        if process.leadsGroup { _ = kill(-process.pid, signal) }
        _ = kill(process.pid, signal)
        if signal != SIGKILL { _ = kill(process.pid, SIGCONT) }
        ended.insert(process.pid)
      }
      usleep(20_000)
      if signal == SIGKILL, ContinuousClock.now >= deadline + .seconds(1) { break }
    }
    reapExited()
    return ended.count
  }

  /// Waits for every adopted process that has exited (by pid), so none stays a zombie.
  public func reapExited() {
    for process in Self.adopted() where process.isZombie {
      var status: Int32 = 0
      _ = waitpid(process.pid, &status, WNOHANG)
    }
  }

  struct Adopted {
    var pid: pid_t
    var isZombie: Bool
    var leadsGroup: Bool
  }

  /// Our children that we did not spawn: adopted orphans. Read while no child can be
  /// spawned, so a child not yet recorded is never taken for one.
  static func adopted() -> [Adopted] {
    SpawnedChildren.shared.whileKnown { spawned in
      let me = getpid()
      let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
      return entries.compactMap { entry -> Adopted? in
        guard let pid = pid_t(entry), !spawned.contains(pid),
          let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")")
        else { return nil }
        // After "pid (comm) ": state, ppid, pgrp.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 2, fields[1] == "\(me)" else { return nil }
        return Adopted(pid: pid, isZombie: fields[0] == "Z", leadsGroup: fields[2] == "\(pid)")
      }
    }
  }
}
