import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The children cruddur spawned and has not yet waited for. Process-wide, as a process's
/// children are: the orphan reaper must never wait for one of them, or it would take the
/// exit status their own `waitpid` is waiting for.
final class SpawnedChildren: Sendable {
  static let shared = SpawnedChildren()
  private let pids = Mutex<Set<pid_t>>([])

  /// Runs `spawn` under the lock and records the pid it returns: a reaper looking at the
  /// same moment cannot see the child before it is known.
  func recording(_ spawn: () throws -> pid_t) throws -> pid_t {
    try pids.withLock { pids throws -> pid_t in
      let pid = try spawn()
      pids.insert(pid)
      return pid
    }
  }

  func forget(_ pid: pid_t) { _ = pids.withLock { $0.remove(pid) } }

  /// Runs `body` with the pids known, holding the lock so that no child is spawned
  /// meanwhile.
  func whileKnown<T>(_ body: (Set<pid_t>) -> T) -> T { pids.withLock { body($0) } }
}
