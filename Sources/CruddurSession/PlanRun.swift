import CruddurCore
import CruddurProcess
import Foundation

/// Work that runs after every step succeeded, while the guards are still held (`apply`
/// records its plan there), with run resources of its own, closed after it.
public typealias AfterSuccessHook = @Sendable (RunResources) async throws -> Void

/// One plan on one database, as a session's body: the guards executors' modules contribute
/// (the Postgres run lock and stamp check), then the runner, then the after-success hooks,
/// then the guards released.
///
/// Its statuses, after the session's rows (stopped before it started, consent, forced
/// stop); the first row that holds decides:
///
///     | # | what happened                                                 | status             |
///     |---|---------------------------------------------------------------|--------------------|
///     | 1 | stopped before the runner started (while or after a guard was | 130 interrupted    |
///     |   | taken; also a guard that refused by being cancelled)          |                    |
///     | 2 | a guard refused (run lock held, another environment's         | the guard error's  |
///     |   | database)                                                     | (1 if it has none) |
///     | 3 | the runner reports the run interrupted (first signal)         | 130 interrupted    |
///     | 4 | a step failed                                                 | that step's (1)    |
///     | 5 | an after-success hook failed (cancelled: 130)                 | the hook error's   |
///     | 6 | otherwise                                                     | 0 ok               |
///
/// A stop that arrives after the last step succeeded does not undo the run: the hooks run
/// and the status is theirs (rows 5, 6). Guards are released, last taken first, on every
/// way out but a forced stop (then the process's exit releases them: a lock is held by a
/// connection, not by a step).
public struct PlanRun: SessionBody {
  public let executable: ExecutablePlan
  public let runner: Runner
  public let guards: [any RunGuard]
  public let afterSuccess: [AfterSuccessHook]

  /// `runner.startedAt`, when set, is moved later by the time consent waited for an answer,
  /// so the summary's time is the command's less the wait.
  public init(
    executable: ExecutablePlan, runner: Runner, guards: [any RunGuard] = [],
    afterSuccess: [AfterSuccessHook] = []
  ) {
    self.executable = executable
    self.runner = runner
    self.guards = guards
    self.afterSuccess = afterSuccess
  }

  public func run(consentWait: Duration) async -> RunOutcome {
    let context = RunGuardContext(
      resources: runner.resources, events: runner.events, projectRoot: runner.projectRoot)
    var holds: [RunGuardHold] = []
    for runGuard in guards {
      var refusal: (any Error)?
      if !Task.isCancelled {
        do {
          holds.append(try await runGuard.acquire(for: executable, in: context))
        } catch {
          refusal = error
        }
      }
      if Task.isCancelled || refusal != nil {
        let stopped = Task.isCancelled
        await release(holds)
        // The runner, which closes them otherwise, never started.
        await runner.resources.closeAll()
        return stopped ? .interrupted : .refused(by: refusal!)
      }
    }
    if Task.isCancelled {
      await release(holds)
      await runner.resources.closeAll()
      return .interrupted
    }
    let (summary, _) = await shiftedRunner(by: consentWait).run(executable)
    var outcome = RunOutcome(status: .ok, report: summary)
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

  /// The steps' process groups are killed now.
  public func forceStop() {
    ProcessGroups.shared(in: runner.resources).signalAll(SIGKILL)
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
