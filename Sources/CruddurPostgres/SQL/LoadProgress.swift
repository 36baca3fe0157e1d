import CruddurCore
import Synchronization

/// Tells the run how far a load has got. `update` is called for every statement and every
/// COPY data chunk and reports a few times a second at most. `heartbeat` runs beside the
/// load and repeats the last figures each second: the file may be all sent while the
/// server still works through it (a slow COPY's data fits in the socket buffers), and a
/// log must still show that the step is alive. Drawing is the renderers' business.
final class LoadProgress: Sendable {
  private struct State {
    var statements = 0
    var bytes = 0
    var last: ContinuousClock.Instant
  }

  private let totalBytes: Int?
  private let interval: Duration
  private let period: Duration
  private let report: (@Sendable (StepProgress) -> Void)?
  private let start = ContinuousClock.now
  private let state: Mutex<State>

  /// `interval` is the least time between two reports (tests use zero to see each one);
  /// `heartbeat` how often the last figures are repeated while nothing moves.
  init(
    totalBytes: Int?, interval: Duration = .milliseconds(200), heartbeat: Duration = .seconds(1),
    report: (@Sendable (StepProgress) -> Void)?
  ) {
    self.totalBytes = totalBytes
    self.interval = interval
    self.period = heartbeat
    self.report = report
    state = Mutex(State(last: start))
  }

  func update(statements: Int, bytes: Int) {
    guard report != nil else { return }
    let now = ContinuousClock.now
    let due = state.withLock { state in
      state.statements = statements
      state.bytes = bytes
      guard now - state.last >= interval else { return false }
      state.last = now
      return true
    }
    if due { send(statements: statements, bytes: bytes, at: now) }
  }

  /// The whole file is sent: from here the figures say all of it (renderers then say the
  /// load waits for the server, rather than show a rate that only falls).
  func allSent(statements: Int) {
    guard let totalBytes else { return }
    update(statements: statements, bytes: totalBytes)
  }

  /// Reports the last figures every `heartbeat` until cancelled; for as long as the load runs.
  func heartbeat() async {
    guard report != nil else { return }
    while (try? await Task.sleep(for: period)) != nil {
      let now = ContinuousClock.now
      let (statements, bytes) = state.withLock { state in
        state.last = now
        return (state.statements, state.bytes)
      }
      send(statements: statements, bytes: bytes, at: now)
    }
  }

  private func send(statements: Int, bytes: Int, at now: ContinuousClock.Instant) {
    report?(StepProgress(statements: statements, bytes: bytes, totalBytes: totalBytes, elapsed: now - start))
  }
}
