import CruddurCore
import CruddurOutput
import CruddurPostgres
import CruddurProcess
import CruddurSession
import CruddurShell
import Foundation

/// The composition of a `RunSession` for `run` and `apply`: the renderer the format asks
/// for, the runner with the executors' run-time helpers, consent from `--yes` or the
/// terminal, and the Postgres run lock as the one guard. The session decides the rest.
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
  func run(_ executable: ExecutablePlan, afterSuccess: AfterSuccessHook? = nil) async -> RunOutcome {
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
    let runner = Runner(
      events: events, projectRoot: project.root, isVerbose: output.verbose, isQuiet: output.quiet,
      // One step never runs beside another: Foundation's processor count (cgroup files read
      // through URLs) cost a one-query run 0.4 M instructions.
      maxParallel: jobs
        ?? (executable.plan.steps.count > 1 ? ProcessInfo.processInfo.activeProcessorCount : 1),
      resources: resources,
      dynamicValues: ShellValueResolver(groups: ProcessGroups.shared(in: resources)), queryCheck: UnlessSQLCheck(),
      startedAt: startedAt)
    let lock = RunLockGuard(wait: waitForLock) { message in OutputStream.standardError.write(message + "\n") }
    let session = RunSession(
      executable: executable, runner: runner, consent: assumeYes ? GivenConsent() : TerminalConsent(),
      guards: [lock], afterSuccess: afterSuccess.map { [$0] } ?? [])
    return await session.run()
  }
}
