import CruddurCore
import Foundation
import Synchronization

/// What the command line shows while a fleet runs (the runner itself never prints).
public protocol FleetObserver: Sendable {
  func targetStarted(_ target: FleetTarget)
  func targetFinished(_ target: FleetTarget, _ result: FleetTargetResult, running: Int, left: Int)
}

/// Runs one plan on every target of a fleet, as `FleetScheduler` decides: each target gets
/// its own `Runner`, its own connections (closed when the target ends) and its own run
/// lock, so one target's failure never touches another's session or transaction. Each
/// target's outcome is recorded on the target (`FleetRunRecord`).
public struct FleetRunner: Sendable {
  public var executable: ExecutablePlan
  public var targets: [FleetTarget]
  public var limits: FleetScheduler.Limits
  public var runID: String
  /// Skip the targets whose record of `runID` says done.
  public var isResuming: Bool
  public var projectRoot: String
  public var waitForLock: Bool
  public var isVerbose = false
  public var isQuiet = false
  public var dynamicValues: (any DynamicValueResolver)?
  public var queryCheck: (any QueryCheck)?
  /// Step descriptions read from each target when its plan was saved, by target label and
  /// step index (`apply` of a fleet plan): the target runs them, so a migrate step refuses
  /// a ledger that moved since, as on one database.
  public var inspected: [String: [Int: StepDescription]] = [:]
  /// `apply` of a saved plan: checked and recorded on each target (`FleetAppliedPlan`).
  public var appliedPlan: FleetAppliedPlan?
  /// The events of one target's steps (a JSON renderer that adds `target`, or nothing).
  public var events: @Sendable (FleetTarget) -> any EventSink
  /// Where each running target's resources are found by a forced stop.
  public var processes = FleetTargetProcesses()
  public var observer: any FleetObserver

  public init(
    executable: ExecutablePlan, targets: [FleetTarget], limits: FleetScheduler.Limits,
    runID: String,
    isResuming: Bool, projectRoot: String, waitForLock: Bool,
    events: @escaping @Sendable (FleetTarget) -> any EventSink,
    observer: any FleetObserver
  ) {
    self.executable = executable
    self.targets = targets
    self.limits = limits
    self.runID = runID
    self.isResuming = isResuming
    self.projectRoot = projectRoot
    self.waitForLock = waitForLock
    self.events = events
    self.observer = observer
  }

  /// Connections one target needs: its sessions (`sessionsPerTarget`), plus the run
  /// lock's when a step may take it (a destructive step, or a migrate step with work to
  /// do). The lock's is one per server for the whole fleet (`FleetLockSessions`), so a
  /// server with `per_server: N` runs N - 1 such targets at once.
  public static func connectionsPerTarget(_ plan: Plan) -> Int {
    sessionsPerTarget(plan) + (mayLock(plan) ? 1 : 0)
  }

  /// Sessions one target holds at once: one per database its steps reach (steps run one
  /// at a time and reuse an idle session).
  public static func sessionsPerTarget(_ plan: Plan) -> Int {
    let databases = Set(
      plan.steps.compactMap { $0.description.target.map { "\($0.host):\($0.port)/\($0.database)" } }
    )
    return max(1, databases.count)
  }

  public static func mayLock(_ plan: Plan) -> Bool {
    plan.steps.contains { $0.isDestructive || $0.executor == "migrate" }
  }

  public func run() async -> FleetSummary {
    let clock = ContinuousClock()
    let started = clock.now
    var scheduler = FleetScheduler(servers: targets.map(\.server), limits: limits)
    var results: [Int: FleetTargetResult] = [:]
    var interrupted = false
    let tasks = executable.plan.tasks.joined(separator: " ")
    let lockSessions = FleetLockSessions()
    await withTaskGroup(of: (Int, FleetTargetResult).self) { group in
      var actions = scheduler.begin()
      run: while true {
        for action in actions {
          switch action {
          case .start(let index):
            let target = targets[index]
            observer.targetStarted(target)
            group.addTask {
              (index, await self.runTarget(target, tasks: tasks, lockSessions: lockSessions))
            }
          case .finish:
            break run
          }
        }
        guard let (index, result) = await group.next() else { break }
        results[index] = result
        if Task.isCancelled {
          // Ctrl-C: the running targets were cancelled with the group (each rolls back
          // what it was doing); nothing new starts, and the rest is waited for.
          interrupted = true
          for await (index, result) in group { results[index] = result }
          break
        }
        actions = scheduler.finished(index, succeeded: result.outcome != .failed)
        observer.targetFinished(
          targets[index], result, running: scheduler.runningCount, left: scheduler.leftCount)
      }
    }
    await lockSessions.close()
    let all = targets.indices.map { index in
      results[index] ?? FleetTargetResult(label: targets[index].label, outcome: .notStarted)
    }
    return FleetSummary(
      runID: runID, results: all, seconds: (clock.now - started).seconds,
      stopReason: scheduler.stopReason,
      isInterrupted: interrupted)
  }

  /// One target, start to end; never throws: whatever goes wrong is this target's result.
  func runTarget(_ target: FleetTarget, tasks: String, lockSessions: FleetLockSessions) async
    -> FleetTargetResult
  {
    let clock = ContinuousClock()
    let started = clock.now
    var executable = executable
    executable.environment = target.environment(
      of: executable.environment.name, isProtected: executable.environment.isProtected)
    for (index, description) in inspected[target.label] ?? [:] {
      executable.bindings[index].step.description = description
      executable.plan.steps[index].description = description
    }
    let environment = executable.environment
    let resources = RunResources()
    processes.insert(resources)
    defer { processes.remove(resources) }
    _ = resources.resource(FleetLockSessions.Handle.key) {
      FleetLockSessions.Handle(sessions: lockSessions)
    }
    // The pool first, the recorder second: closed in reverse, the recorder writes on the
    // step's session before the pool closes it.
    let pool = SessionPool.shared(in: resources)
    let recorder = resources.resource("fleet.record") {
      FleetRecorder(
        target: target, environment: environment, runID: runID, tasks: tasks,
        lastStep: executable.plan.steps.last?.number ?? 0, projectRoot: projectRoot,
        inner: events(target), pool: pool)
    }
    _ = resources.resource(FleetRecorder.Hook.key) { FleetRecorder.Hook(recorder: recorder) }
    if isResuming, let info = try? ConnInfo(parsing: target.url),
      let connection = try? await pool.lease(
        info, environment: environment, projectRoot: projectRoot, holder: "the fleet record")
    {
      // Read on the session the steps will reuse; unreachable, the target runs and fails as such.
      let entry = try? await FleetRunRecord.read(on: connection, runID: runID)
      await pool.giveBack(connection)
      if entry?.outcome == FleetTargetResult.Outcome.succeeded.rawValue {
        recorder.skip()
        await resources.closeAll()
        return FleetTargetResult(label: target.label, outcome: .alreadyDone)
      }
    }
    let runner = Runner(
      events: recorder, projectRoot: projectRoot, isVerbose: isVerbose, isQuiet: isQuiet,
      maxParallel: 1,
      resources: resources, dynamicValues: dynamicValues, queryCheck: queryCheck)
    var diagnostics: [Diagnostic] = []
    var succeeded = false
    do {
      let lock = try await AdvisoryLock.acquire(
        for: executable, resources: resources, projectRoot: projectRoot, wait: waitForLock,
        events: recorder)
      let applied = try appliedPlan.map { plan in
        (
          plan,
          FleetAppliedPlan.Session(
            info: try ConnInfo(parsing: target.url), environment: environment, pool: pool,
            lockSessions: lockSessions, projectRoot: projectRoot,
            mayDrop: Self.mayLock(executable.plan))
        )
      }
      var interrupted = false
      do {
        if let (plan, session) = applied {
          try await plan.check(on: target, environment: environment, session: session)
        }
        let (summary, failure) = await runner.run(executable)
        succeeded = summary.succeeded && !summary.isInterrupted
        interrupted = summary.isInterrupted
        diagnostics = failure
        if succeeded, let (plan, session) = applied {
          try await plan.record(on: target, environment: environment, session: session)
        }
      } catch {
        // The run lock is the fleet's session's: released here, or it would outlive the target.
        await lock?.release()
        succeeded = false
        throw error
      }
      await lock?.release()
      if !succeeded, diagnostics.isEmpty, interrupted {
        diagnostics = [.error("interrupted")]
      }
    } catch {
      diagnostics =
        (error as? any CruddurError)?.diagnostics ?? [
          .error(Redaction.redact(String(describing: error)))
        ]
      recorder.fail(diagnostics.first?.message ?? "failed")
      await resources.closeAll()
    }
    let outcome: FleetTargetResult.Outcome = succeeded ? .succeeded : .failed
    return FleetTargetResult(
      label: target.label, outcome: outcome, seconds: (clock.now - started).seconds,
      diagnostics: diagnostics)
  }
}
