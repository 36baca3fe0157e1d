import CruddurCore
import CruddurProcess
import Foundation
import Synchronization

/// Work that runs after every step succeeded, while the guards are still held (`apply`
/// records its plan there), with run resources of its own, closed after it.
public typealias AfterSuccessHook = @Sendable (RunResources) async throws -> Void

/// One run of a plan, as `run` and `apply` both must make it: consent, then the guards
/// executors' modules contribute (the Postgres run lock and stamp check), then the runner,
/// then the after-success hooks, then the guards released, and one exit status as a value.
/// Signals enter through one place: the session's window (`ownsProcess`), whose first
/// signal is `stop()` and whose second is `forceStop()`.
///
/// Exit status precedence: the first row that holds decides.
///
///     | # | what happened                                                 | status             |
///     |---|---------------------------------------------------------------|--------------------|
///     | 1 | stopped before the runner started (before or after consent,   | 130 interrupted    |
///     |   | while or after a guard was taken; also a guard that refused   |                    |
///     |   | by being cancelled)                                           |                    |
///     | 2 | consent refused, or not given without a terminal              | the refusal's (3)  |
///     | 3 | a guard refused (run lock held, another environment's         | the guard error's  |
///     |   | database)                                                     | (1 if it has none) |
///     | 4 | stopped by force (second signal) while the steps ran          | 130 interrupted    |
///     | 5 | the runner reports the run interrupted (first signal)         | 130 interrupted    |
///     | 6 | a step failed                                                 | that step's (1)    |
///     | 7 | an after-success hook failed (cancelled: 130)                 | the hook error's   |
///     | 8 | otherwise                                                     | 0 ok               |
///
/// A stop that arrives after the last step succeeded does not undo the run: the hooks run
/// and the status is theirs (rows 7, 8). A session runs once.
public final class RunSession: Sendable {
  public let executable: ExecutablePlan
  public let runner: Runner
  public let consent: any ConsentSource
  public let guards: [any RunGuard]
  public let afterSuccess: [AfterSuccessHook]
  /// Whether the session owns the process's signals (SIGINT, SIGTERM, SIGHUP, SIGQUIT open
  /// its window for the length of the run) and adopts orphans of its steps to end them on
  /// a stop. In-process tests say false and call `stop()` themselves.
  public let ownsProcess: Bool

  private struct State {
    var stops = 0
    var work: Task<RunOutcome, Never>?
  }
  private let state = Mutex(State())
  /// The run's end or a forced stop, whichever comes first.
  private let ending = FirstOutcome<RunOutcome>()

  /// `runner.startedAt`, when set, is moved later by the time consent waited for an answer,
  /// so the summary's time is the command's less the wait.
  public init(
    executable: ExecutablePlan, runner: Runner, consent: any ConsentSource,
    guards: [any RunGuard] = [],
    afterSuccess: [AfterSuccessHook] = [], ownsProcess: Bool = true
  ) {
    self.executable = executable
    self.runner = runner
    self.consent = consent
    self.guards = guards
    self.afterSuccess = afterSuccess
    self.ownsProcess = ownsProcess
  }

  /// Whether `stop()` or `forceStop()` was called.
  public var isStopped: Bool { state.withLock { $0.stops > 0 } }

  /// What the first signal does: a run not started yet never starts; a guard being taken is
  /// cancelled; running steps are cancelled (queries get a cancel request and roll back,
  /// commands SIGTERM then SIGKILL) and the run ends once they have stopped.
  public func stop() {
    if ownsProcess { OrphanReaper.shared.markStop() }
    let work = state.withLock { state in
      state.stops += 1
      return state.work
    }
    work?.cancel()
  }

  /// What the second signal does: the process groups are killed now and `run()` returns
  /// interrupted without waiting for anything more.
  public func forceStop() {
    state.withLock { $0.stops += 1 }
    ProcessGroups.shared(in: runner.resources).signalAll(SIGKILL)
    if ownsProcess {
      OrphanReaper.shared.markStop()
      _ = OrphanReaper.shared.endAdoptedSinceStop(gracePeriod: .zero, signal: SIGKILL)
    }
    ending.finish(nil)
  }

  /// Runs the plan and says how it ended; never throws and never exits.
  public func run() async -> RunOutcome {
    if isStopped { return .interrupted }
    let asked = ContinuousClock.now
    if let request = ConsentRequest(executable) {
      do { try await consent.obtain(request) } catch { return .refused(by: error) }
    }
    let consentWait = ContinuousClock.now - asked
    var interrupts: Interrupts?
    if ownsProcess {
      // From here, a descendant that leaves its step's process group (`setsid`) and loses
      // its parent becomes ours, so a stop can end it too (OrphanReaper says which it ends).
      _ = OrphanReaper.shared.enable()
      // The window opens before the guards, so a signal while waiting for the run lock
      // (`--wait`) stops the wait instead of killing the process with the lock session open.
      interrupts = Interrupts { [self] count in count == 1 ? stop() : forceStop() }
    }
    let work = Task { await guardedRun(consentWait: consentWait) }
    // A stop that came before the task existed cancels it as soon as it does.
    if state.withLock({ state in
      state.work = work
      return state.stops > 0
    }) {
      work.cancel()
    }
    Task { ending.finish(await work.value) }
    let finished = await ending.value
    interrupts?.stop()
    if ownsProcess, finished != nil, isStopped {
      // The steps have stopped, their groups are gone: what escaped them is ended now,
      // TERM then KILL after the grace, before cruddur exits and init adopts it. (A run
      // that was not stopped reads no process table: init reaps what it leaves.)
      let grace = StopGrace.current
      _ = try? await Blocking.run { OrphanReaper.shared.endAdoptedSinceStop(gracePeriod: grace) }
    }
    return finished ?? .interrupted
  }

  /// Guards, runner, hooks, guards released: rows 1 and 3 to 8 of the table.
  private func guardedRun(consentWait: Duration) async -> RunOutcome {
    let context = RunGuardContext(
      resources: runner.resources, events: runner.events, projectRoot: runner.projectRoot)
    var holds: [RunGuardHold] = []
    for runGuard in guards {
      var refusal: (any Error)?
      if !isStopped {
        do {
          holds.append(try await runGuard.acquire(for: executable, in: context))
        } catch {
          refusal = error
        }
      }
      if isStopped || refusal != nil {
        await release(holds)
        // The runner, which closes them otherwise, never started.
        await runner.resources.closeAll()
        return isStopped ? .interrupted : .refused(by: refusal!)
      }
    }
    if isStopped {
      await release(holds)
      await runner.resources.closeAll()
      return .interrupted
    }
    let (summary, _) = await shiftedRunner(by: consentWait).run(executable)
    var outcome = RunOutcome(status: .ok, summary: summary)
    if summary.isInterrupted {
      outcome.status = .interrupted
    } else if !summary.succeeded {
      outcome.status = summary.failureStatus ?? .stepFailed
    } else {
      for hook in afterSuccess {
        let resources = RunResources()
        do {
          try await hook(resources)
        } catch {
          outcome = RunOutcome.refused(by: error)
          outcome.summary = summary
        }
        await resources.closeAll()
        if outcome.status != .ok { break }
      }
    }
    await release(holds)
    return outcome
  }

  /// Last taken, first given back.
  private func release(_ holds: [RunGuardHold]) async {
    for hold in holds.reversed() { await hold.release() }
  }

  private func shiftedRunner(by wait: Duration) -> Runner {
    guard let start = runner.startedAt, wait > .zero else { return runner }
    return Runner(
      events: runner.events, projectRoot: runner.projectRoot, isVerbose: runner.isVerbose,
      isQuiet: runner.isQuiet,
      maxParallel: runner.maxParallel, resources: runner.resources,
      dynamicValues: runner.dynamicValues,
      queryCheck: runner.queryCheck, startedAt: start + wait)
  }
}
