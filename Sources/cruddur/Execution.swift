import ArgumentParser
import CruddurCore
import CruddurOutput
import CruddurPostgres
import CruddurProcess
import CruddurShell
import Foundation
import Synchronization

/// Runs a plan the way `run` and `apply` both must: consent first, then the run lock, then
/// the steps, with signals turned into cancellation; the error decides the exit status.
struct Execution {
  var project: Project
  var global: GlobalOptions
  var output: OutputOptions
  var format: RunCommand.Format
  var jobs: Int?
  var assumeYes: Bool
  var waitForLock: Bool
  /// When the command began; the summary's time counts from here, less any wait for consent.
  var startedAt = ContinuousClock.now

  /// `afterSuccess` runs while the lock is still held (apply records the plan there).
  func run(_ executable: ExecutablePlan, afterSuccess: (@Sendable (RunResources) async throws -> Void)? = nil)
    async throws
  {
    let asked = ContinuousClock.now
    try Consent.obtain(for: executable, assumeYes: assumeYes)
    let commandStart = startedAt + (ContinuousClock.now - asked)
    let events: any EventSink
    var resizes: ResizeWatch?
    switch format {
    case .text, .csv:
      let redraws = isatty(2) == 1 && global.processEnvironment["TERM"] != "dumb"
      let console = ConsoleRenderer(
        terminal: format == .csv ? global.stderrTerminal : global.stdoutTerminal,
        diagnostics: DiagnosticRenderer(sources: project.sources, terminal: global.stderrTerminal),
        isQuiet: output.quiet, isVerbose: output.verbose, rowFormat: format == .csv ? .csv : .table,
        redrawsProgress: redraws)
      // The progress line is drawn again at the new width when the terminal is resized.
      if redraws { resizes = ResizeWatch { console.redrawProgress() } }
      events = console
    case .json:
      events = JSONLinesRenderer()
    }
    defer { resizes?.stop() }
    let resources = RunResources()
    let groups = ProcessGroups.shared(in: resources)
    // From here, a descendant that leaves its step's process group (`setsid`) and loses its
    // parent becomes ours, so a stop can end it too (OrphanReaper says which it ends).
    let reaper = OrphanReaper.shared
    reaper.enable()
    let runner = Runner(
      events: events, projectRoot: project.root, isVerbose: output.verbose, isQuiet: output.quiet,
      maxParallel: jobs ?? ProcessInfo.processInfo.activeProcessorCount, resources: resources,
      dynamicValues: ShellValueResolver(groups: groups), queryCheck: UnlessSQLCheck(), startedAt: commandStart)
    let lock = try await AdvisoryLock.acquire(
      for: executable, resources: resources, projectRoot: project.root, wait: waitForLock, events: events
    ) { message in OutputStream.standardError.write(message + "\n") }
    let outcome = FirstOutcome<(RunSummary, [Diagnostic])>()
    let afterError = Mutex<(any Error)?>(nil)
    // The signal window opens before the run starts, so no signal can fall between the
    // two; one that arrives before the run task exists cancels it as soon as it does.
    let started = Mutex<(task: Task<(RunSummary, [Diagnostic]), Never>?, cancelEarly: Bool)>((nil, false))
    let interrupts = Interrupts { count in
      // The first cancels: queries get a cancel request and roll back, commands SIGTERM
      // then SIGKILL, and the run ends once they have stopped. A second forces the exit:
      // the process groups are killed now and nothing more is waited for.
      if count == 1 {
        reaper.markStop()
        let task = started.withLock { state in
          if state.task == nil { state.cancelEarly = true }
          return state.task
        }
        task?.cancel()
      } else {
        groups.signalAll(SIGKILL)
        reaper.markStop()
        reaper.endAdoptedSinceStop(gracePeriod: .zero, signal: SIGKILL)
        outcome.finish(nil)
      }
    }
    let run = Task {
      let result = await runner.run(executable)
      if result.0.succeeded, !result.0.isInterrupted, let afterSuccess {
        do { try await afterSuccess(RunResources()) } catch { afterError.withLock { $0 = error } }
      }
      await lock?.release()
      return result
    }
    if started.withLock({ state in
      state.task = run
      return state.cancelEarly
    }) {
      run.cancel()
    }
    Task { outcome.finish(await run.value) }
    let finished = await outcome.value
    interrupts.stop()
    if finished != nil, interrupts.received > 0 {
      // The steps have stopped, their groups are gone: what escaped them is ended now,
      // TERM then KILL after the grace, before cruddur exits and init adopts it. (A run
      // that was not stopped reads no process table: init reaps what it leaves.)
      let grace = StopGrace.current
      _ = try? await Blocking.run { reaper.endAdoptedSinceStop(gracePeriod: grace) }
    }
    guard let (summary, failure) = finished else { throw ExitCode(ExitStatus.interrupted.rawValue) }
    if summary.isInterrupted { throw ExitCode(ExitStatus.interrupted.rawValue) }
    if !failure.isEmpty {
      throw ExitCode((summary.failureStatus ?? .stepFailed).rawValue)
    }
    if let error = afterError.withLock({ $0 }) { throw error }
  }
}
