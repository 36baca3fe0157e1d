import CruddurCore
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Stops a process group: SIGTERM now, SIGKILL after the grace period if anything is left.
final class GroupTermination: Sendable {
  private struct State {
    var isTerminating = false
    var isTimedOut = false
    var isCancelled = false
    var killDeadline: DispatchTime = .distantFuture
    var endedLeftovers = 0
  }

  private let group: pid_t
  private let gracePeriod: Duration
  private let state = Mutex(State())

  init(group: pid_t, gracePeriod: Duration) {
    self.group = group
    self.gracePeriod = gracePeriod
  }

  var isTerminating: Bool { state.withLock { $0.isTerminating } }
  var isTimedOut: Bool { state.withLock { $0.isTimedOut } }
  var isCancelled: Bool { state.withLock { $0.isCancelled } }
  var endedLeftovers: Int { state.withLock { $0.endedLeftovers } }

  /// The command exited and left `count` processes in its group: they end as on a stop,
  /// but the step is neither cancelled nor timed out.
  func endLeftovers(count: Int) {
    state.withLock { $0.endedLeftovers = count }
    signalGroup()
  }

  func terminate(timedOut: Bool) {
    state.withLock { if timedOut { $0.isTimedOut = true } else { $0.isCancelled = true } }
    signalGroup()
  }

  /// SIGTERM to the group now, SIGKILL after the grace period; once.
  private func signalGroup() {
    let killDeadline: DispatchTime? = state.withLock {
      guard !$0.isTerminating else { return nil }
      $0.isTerminating = true
      $0.killDeadline = .now() + gracePeriod.seconds
      return $0.killDeadline
    }
    guard let killDeadline else { return }
    _ = kill(-group, SIGTERM)
    // A stopped process only sees SIGTERM once continued.
    _ = kill(-group, SIGCONT)
    let group = self.group
    DispatchQueue.global().asyncAfter(deadline: killDeadline) {
      if kill(-group, 0) == 0 { _ = kill(-group, SIGKILL) }
    }
  }

  /// Blocks until no process of the group is left, or shortly after the SIGKILL deadline.
  func awaitGroupGone() {
    let deadline = state.withLock { $0.killDeadline } + 1.0
    while Self.hasLivingMembers(group), DispatchTime.now() < deadline { usleep(20_000) }
  }

  /// Whether any process of the group still runs. A zombie does not count: orphans are
  /// reaped by PID 1, and some container inits never reap, so `kill(-group, 0)` alone
  /// would report a dead group alive.
  static func hasLivingMembers(_ group: pid_t) -> Bool { livingMembers(group) > 0 }

  /// How many processes of the group still run (zombies not counted).
  static func livingMembers(_ group: pid_t) -> Int {
    guard kill(-group, 0) == 0 else { return 0 }
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return 1 }
    var count = 0
    for entry in entries where entry.first?.isNumber == true {
      guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
      else { continue }
      // After "pid (comm) ": state, ppid, pgrp.
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      if fields.count > 2, fields[2] == "\(group)", fields[0] != "Z" { count += 1 }
    }
    return count
  }
}
