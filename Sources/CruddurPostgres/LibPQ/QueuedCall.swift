import Synchronization

/// One call on a connection's queue, as the cancelling side sees it: not started yet (a
/// stop means it never starts), running (a stop sends a cancel request), done.
final class QueuedCall: Sendable {
  private enum Phase { case queued, running, done }
  private struct State {
    var phase = Phase.queued
    var isCancelled = false
    var isAbandoned = false
  }
  private let state = Mutex(State())

  /// On the queue, before the call: false when a stop came first.
  func start() -> Bool {
    state.withLock {
      guard !$0.isCancelled else { return false }
      $0.phase = .running
      return true
    }
  }

  func finish() { state.withLock { $0.phase = .done } }

  /// Marks the stop; true when the call is running and needs a cancel request.
  func cancel() -> Bool {
    state.withLock {
      $0.isCancelled = true
      return $0.phase == .running
    }
  }

  /// After the grace period: true (and marked) when the call still runs.
  func abandon() -> Bool {
    state.withLock {
      guard $0.phase == .running else { return false }
      $0.isAbandoned = true
      return true
    }
  }

  var wasAbandoned: Bool { state.withLock { $0.isAbandoned } }
}
