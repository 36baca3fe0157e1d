import CruddurCore
import Foundation
import Synchronization

/// Records a target's outcome on the target's own session, as the last thing its run
/// does: it is a run resource made just after the session pool, so the run closes it just
/// before the pool, while the step's idle session is still open. No connection of its own
/// (a target of a no-op run costs one session), and no second session lingering on the
/// server beside the next target's. It sees the steps' events to know how the run went.
final class FleetRecorder: RunResource, EventSink {
  let target: FleetTarget
  let environment: ResolvedEnvironment
  let runID: String
  let tasks: String
  let projectRoot: String
  let inner: any EventSink
  /// The run's pool, held from the start: while the run's resources close, asking them
  /// for it would make a new, empty one.
  let pool: SessionPool
  private let started = ContinuousClock.now
  private struct State {
    var failure: String?
    var failed = false
    var recorded = false
    var isSkipped = false
  }
  private let state = Mutex(State())

  init(
    target: FleetTarget, environment: ResolvedEnvironment, runID: String, tasks: String,
    projectRoot: String,
    inner: any EventSink, pool: SessionPool
  ) {
    self.target = target
    self.environment = environment
    self.runID = runID
    self.tasks = tasks
    self.projectRoot = projectRoot
    self.inner = inner
    self.pool = pool
  }

  func emit(_ event: Event) {
    switch event {
    case .stepFailed(_, _, let diagnostics, _):
      state.withLock { state in
        state.failed = true
        if state.failure == nil { state.failure = diagnostics.first?.message ?? "failed" }
      }
    case .stepCancelled:
      state.withLock { state in
        state.failed = true
        if state.failure == nil { state.failure = "interrupted" }
      }
    default: break
    }
    inner.emit(event)
  }

  /// A failure outside the steps (the run lock could not be taken).
  func fail(_ message: String) {
    state.withLock { state in
      state.failed = true
      if state.failure == nil { state.failure = message }
    }
  }

  /// `--resume` found the target done: nothing to record.
  func skip() { state.withLock { $0.isSkipped = true } }

  /// Whether the outcome reached the target.
  var isRecorded: Bool { state.withLock { $0.recorded } }

  func close() async {
    let (failed, failure, isSkipped) = state.withLock { ($0.failed, $0.failure, $0.isSkipped) }
    // An interrupted target is left unrecorded: it is unfinished, and `--resume` runs it.
    guard failure != "interrupted", !isSkipped else { return }
    do {
      let info = try ConnInfo(parsing: target.url)
      let connection = try await pool.lease(
        info, environment: environment, projectRoot: projectRoot, holder: "the fleet record")
      do {
        try await FleetRunRecord.write(
          on: connection, runID: runID, tasks: tasks, outcome: failed ? .failed : .succeeded,
          seconds: (ContinuousClock.now - started).seconds, error: failure)
        await pool.giveBack(connection)
        state.withLock { $0.recorded = true }
      } catch {
        await pool.discard(connection)
      }
    } catch {
      // A target whose server is gone cannot take its record: it reads as unfinished,
      // which is what it is.
    }
  }
}
