import Synchronization

/// What a session's parts did, in order (consent asked, guards taken and released, steps,
/// hooks), shared by the fakes of one test; a test waits on an entry instead of sleeping.
final class SessionLog: Sendable {
  private struct State {
    var entries: [String] = []
    var waiters: [(String, CheckedContinuation<Void, Never>)] = []
  }
  private let state = Mutex(State())

  var entries: [String] { state.withLock { $0.entries } }

  func append(_ entry: String) {
    let ready = state.withLock { state in
      state.entries.append(entry)
      let ready = state.waiters.filter { $0.0 == entry }.map(\.1)
      state.waiters.removeAll { $0.0 == entry }
      return ready
    }
    for continuation in ready { continuation.resume() }
  }

  /// Returns once `entry` has been logged (at once if it was already).
  func reached(_ entry: String) async {
    await withCheckedContinuation { continuation in
      let isThere = state.withLock { state in
        if state.entries.contains(entry) { return true }
        state.waiters.append((entry, continuation))
        return false
      }
      if isThere { continuation.resume() }
    }
  }
}
