import Synchronization

/// A stop for synchronous code that runs children one after another (the embedded server's
/// `initdb` and `pg_ctl`): a caller on another thread stops it when its task is cancelled.
/// Once stopped, the running child's process group gets SIGTERM, then SIGKILL after the
/// grace period, and no further child starts (`runCollectingOutput` throws
/// `CancellationError`). Such code cannot see task cancellation itself: it blocks a thread
/// off the cooperative pool.
public final class ProcessStop: Sendable {
  private struct State {
    var isStopped = false
    var running: GroupTermination?
  }

  public let gracePeriod: Duration
  private let state = Mutex(State())

  public init(gracePeriod: Duration = .seconds(3)) { self.gracePeriod = gracePeriod }

  public var isStopped: Bool { state.withLock { $0.isStopped } }

  /// Stops the running child's group, if any, and every later one before it starts.
  public func stop() {
    let running = state.withLock { state in
      state.isStopped = true
      return state.running
    }
    running?.terminate(timedOut: false)
  }

  /// The child now running; terminated at once when the stop came before it was known.
  func attach(_ control: GroupTermination) {
    let stopped = state.withLock { state in
      if !state.isStopped { state.running = control }
      return state.isStopped
    }
    if stopped { control.terminate(timedOut: false) }
  }

  func detach() { state.withLock { $0.running = nil } }
}
