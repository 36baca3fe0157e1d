import CruddurCore
import Foundation
import Synchronization

/// Records a target's outcome on the target's own session, as the last thing its run
/// does: it is a run resource made just after the session pool, so the run closes it just
/// before the pool, while the step's idle session is still open. No connection of its own
/// (a target of a no-op run costs one session), and no second session lingering on the
/// server beside the next target's. It sees the steps' events to know how the run went.
///
/// Where the target's last step commits a transaction (a SQL file in one transaction, the
/// last pending migration), the outcome is written inside it, just before its COMMIT
/// (`recordInTransaction`), so a crash between the COMMIT and a record written after it
/// cannot leave a finished target recorded as unfinished; nothing is written again at the
/// end unless something failed after it.
final class FleetRecorder: RunResource, EventSink {
  let target: FleetTarget
  let environment: ResolvedEnvironment
  let runID: String
  let tasks: String
  /// The number of the target's last step: the one whose transaction carries the record.
  let lastStep: Int
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
    /// Written in the last step's transaction (which then committed, or the step failed).
    var isRecordedInStep = false
  }
  private let state = Mutex(State())

  init(
    target: FleetTarget, environment: ResolvedEnvironment, runID: String, tasks: String,
    lastStep: Int, projectRoot: String,
    inner: any EventSink, pool: SessionPool
  ) {
    self.target = target
    self.environment = environment
    self.runID = runID
    self.tasks = tasks
    self.lastStep = lastStep
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
    let (failed, failure, isSkipped, inStep) = state.withLock {
      ($0.failed, $0.failure, $0.isSkipped, $0.isRecordedInStep)
    }
    // An interrupted target is left unrecorded: it is unfinished, and `--resume` runs it.
    guard failure != "interrupted", !isSkipped else { return }
    // Done, and said so in the last step's committed transaction: nothing more to write.
    if inStep, !failed { return }
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

extension FleetRecorder {
  /// Writes the target's "done" record on `connection`, inside the transaction `step` is
  /// about to commit, when `step` is the target's last step. One round trip: a savepoint,
  /// the table made if missing, the row, the savepoint released; should any of it fail
  /// (a user who may not create the table), the savepoint is rolled back, the step's own
  /// work goes on to its COMMIT, and the record is written after the step as before.
  func recordInTransaction(on connection: Connection, step: PlannedStep) async throws {
    guard step.number == lastStep else { return }
    let seconds = (ContinuousClock.now - started).seconds
    let values = [
      runID, tasks, FleetTargetResult.Outcome.succeeded.rawValue,
    ].map(Self.literal).joined(separator: ", ")
    let sql = """
      savepoint cruddur_fleet_record;
      do $cruddur$ begin
        if pg_catalog.to_regclass('\(FleetRunRecord.table)') is null then
          if pg_catalog.to_regnamespace('cruddur') is null then create schema cruddur; end if;
          \(FleetRunRecord.createTable)
        end if;
      end $cruddur$;
      insert into \(FleetRunRecord.table) (run_id, tasks, outcome, duration_ms, error, recorded_by)
      values (\(values), \(Int((seconds * 1000).rounded())), null, \(Self.literal(FleetRunRecord.recordedBy)))
      on conflict (run_id) do update set tasks = excluded.tasks, outcome = excluded.outcome,
        finished_at = now(), duration_ms = excluded.duration_ms, error = excluded.error,
        recorded_by = excluded.recorded_by;
      release savepoint cruddur_fleet_record
      """
    do {
      _ = try await connection.execute(sql)
      state.withLock { $0.isRecordedInStep = true }
    } catch is CancellationError {
      throw CancellationError()
    } catch {
      _ = try await connection.execute("rollback to savepoint cruddur_fleet_record")
    }
  }

  /// `recordInTransaction` for `step`, as a loader's `beforeCommit`.
  func beforeCommit(of step: PlannedStep) -> @Sendable (Connection) async throws -> Void {
    { connection in try await self.recordInTransaction(on: connection, step: step) }
  }

  /// An `E'…'` literal: quotes and backslashes doubled, read the same whatever
  /// `standard_conforming_strings` says (these values are cruddur's own: a run id, task
  /// names, `user@host`; NUL, which no text value may hold, dropped).
  static func literal(_ text: String) -> String {
    let escaped = text.replacingOccurrences(of: "\0", with: "")
      .replacingOccurrences(of: "\\", with: "\\\\")
      .replacingOccurrences(of: "'", with: "''")
    return "E'" + escaped + "'"
  }

  /// How a step finds its target's recorder: a resource of the target's run, made by
  /// `FleetRunner`; a run of one database makes an empty one.
  struct Hook: RunResource {
    static let key = "postgres.fleet-record-hook"
    let recorder: FleetRecorder?
    func close() async {}

    static func recorder(in resources: RunResources) -> FleetRecorder? {
      resources.resource(key) { Hook(recorder: nil) }.recorder
    }
  }
}
