import CruddurCore
import CruddurOutput
import CruddurPostgres
import CruddurProcess
import CruddurShell
import Foundation

/// `cruddur TASK -e FLEET`: the targets read, the shard taken, the plan made once (on the
/// first target; every target runs the same steps), then a session (`FleetRun`): consent
/// asked once, every target run as `FleetRunner` schedules it, and one summary. Exit 1 when
/// any target failed or was left unstarted by a failure; 130 when interrupted.
struct FleetExecution {
  var project: Project
  var spec: EnvironmentSpec
  var global: GlobalOptions
  var output: OutputOptions
  var format: RunCommand.Format
  var assumeYes: Bool
  var waitForLock: Bool
  var dryRun: Bool
  var words: [String]
  var options: FleetOptions
  var overrides: [String: String]

  /// Without `--parallel`: enough to keep two cores and a few servers busy, few enough
  /// that a laptop's file descriptors and a small server are never the limit.
  static let defaultParallel = 16

  func run() async throws -> CommandStatus {
    let (shard, runID) = try options.validated()
    let fleetTargets = try await FleetTargets.read(
      spec, project: project, overrides: overrides, processEnvironment: global.processEnvironment,
      shard: shard)
    let (scope, targets, total) = (fleetTargets.scope, fleetTargets.targets, fleetTargets.total)
    try fleetTargets.checkCanary(options.canary)
    guard let first = targets.first else {
      fleetTargets.sayEmpty(shard: shard, fleet: spec.name, quiet: output.quiet)
      return .ok
    }
    let executable = try Planning.plan(
      words: words, project: project,
      environment: first.environment(of: spec.name, isProtected: spec.isProtected),
      scope: scope, requiresValues: !dryRun)
    let header = Self.header(
      "cruddur \(executable.plan.tasks.joined(separator: " "))", fleet: spec.name, targets: targets,
      note: shard.map { " (shard \($0) of \(total))" } ?? "", steps: executable.plan.steps.count)
    if dryRun {
      if format == .json {
        try Planning.print(executable.plan, as: .json, terminal: global.stdoutTerminal)
      } else {
        OutputStream.standardOutput.write(
          header + "\n" + PlanRenderer.text(executable.plan, terminal: global.stdoutTerminal))
      }
      return .ok
    }
    return CommandStatus(
      try await execute(executable, targets: targets, header: header, runID: runID, shard: shard)
        .exitStatus())
  }

  /// The run's first line: "COMMAND on fleet NAME: N targets on M servers NOTE, S steps each".
  static func header(
    _ command: String, fleet: String, targets: [FleetTarget], note: String, steps: Int
  )
    -> String
  {
    let servers = Set(targets.map(\.server)).count
    return
      "\(command) on fleet \(fleet): \(targets.count) target\(targets.count == 1 ? "" : "s") on \(servers) server\(servers == 1 ? "" : "s")\(note), \(steps) step\(steps == 1 ? "" : "s") each"
  }

  /// Runs `executable` on `targets` as a session (consent first, once; its signal window,
  /// reaper and exit status), shows them going, and sums up. `inspected` holds, by target
  /// label, step descriptions read from that target when the plan was saved (`apply`): each
  /// target runs with its own, so a migrate step refuses a ledger that moved since.
  func execute(
    _ executable: ExecutablePlan, targets: [FleetTarget], header: String, runID: String,
    shard: FleetShard?, inspected: [String: [Int: StepDescription]] = [:],
    appliedPlan: FleetAppliedPlan? = nil, resumeCommand: String? = nil
  ) async -> SessionOutcome<FleetSummary> {
    let console = FleetConsole(
      fleet: spec.name, total: targets.count, format: format, quiet: output.quiet,
      terminal: global.stdoutTerminal,
      errorTerminal: global.stderrTerminal)
    let resources = RunResources()
    let groups = ProcessGroups.shared(in: resources)
    let (fleet, declaredPerServer, projectRoot) = (spec.name, spec.fleet?.perServer, project.root)
    let (options, waitForLock, isJSON, isVerbose) = (
      options, waitForLock, format == .json, output.verbose
    )
    let processes = FleetTargetProcesses()
    let body = FleetRun(groups: groups, processes: processes) {
      let perTarget = FleetRunner.connectionsPerTarget(executable.plan)
      let perServer = try await FleetTargetResolver.perServerLimits(
        targets, declared: declaredPerServer, needed: perTarget, environment: fleet)
      // The run locks are taken on one session per server (`FleetLockSessions`): what a
      // running target holds is its own sessions, and each server keeps one for the locks.
      let sessions = FleetRunner.sessionsPerTarget(executable.plan)
      let lockSession = perTarget - sessions
      let limits = FleetScheduler.Limits(
        parallel: options.parallel ?? Self.defaultParallel, connectionsPerTarget: sessions,
        perServer: perServer.mapValues { $0 - lockSession },
        canary: options.canary ?? 0, maxFailures: options.maxFailures)
      console.begin(
        header: header
          + ", run \(runID)\(options.resume != nil ? " (resumed)" : "")\n  up to \(limits.parallel) at once, \(sessions) connection\(sessions == 1 ? "" : "s") a target\(lockSession > 0 ? " and 1 a server for the run locks" : ""), per server: "
          + perServer.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
            separator: ", "),
        runID: runID, targets: targets.count)
      var runner = FleetRunner(
        executable: executable, targets: targets, limits: limits, runID: runID,
        isResuming: options.resume != nil,
        projectRoot: projectRoot, waitForLock: waitForLock,
        events: { target -> any EventSink in
          isJSON ? JSONLinesRenderer(target: target.label) : SilentSink()
        }, observer: console)
      runner.isVerbose = isVerbose
      runner.inspected = inspected
      runner.appliedPlan = appliedPlan
      runner.isQuiet = true
      runner.dynamicValues = ShellValueResolver(groups: groups)
      runner.queryCheck = UnlessSQLCheck()
      runner.processes = processes
      return runner
    }
    var request = ConsentRequest(executable)
    request?.fleetTargets = targets.count
    let session = Session(
      body: body, consent: assumeYes ? GivenConsent() : TerminalConsent(), consentRequest: request)
    let outcome = await session.run()
    if let summary = outcome.report {
      var resume = resumeCommand ?? "cruddur \(words.joined(separator: " ")) -e \(spec.name)"
      if let shard { resume += " --shard \(shard)" }
      resume += " --resume \(runID)"
      console.end(summary, resumeCommand: resume)
    }
    return outcome
  }
}

/// A fleet's targets as a command reads them: rendered, resolved, and cut to the shard.
struct FleetTargets {
  var scope: Scope
  var targets: [FleetTarget]
  /// The whole fleet's size, before the shard.
  var total: Int

  /// `--canary N` must leave something after the canary to hold back.
  func checkCanary(_ canary: Int?) throws {
    if let canary, canary > targets.count {
      throw FleetError(.canaryTooLarge(canary: canary, targets: targets.count))
    }
  }

  /// Only a shard can be empty (a fleet with no targets is an error when read): said, and
  /// nothing runs.
  func sayEmpty(shard: FleetShard?, fleet: String, quiet: Bool) {
    guard !quiet else { return }
    OutputStream.standardOutput.write(
      "shard \(shard?.description ?? "?") of fleet \(fleet) has none of its \(total) targets\n")
  }

  static func read(
    _ spec: EnvironmentSpec, project: Project, overrides: [String: String],
    processEnvironment: [String: String],
    shard: FleetShard?
  ) async throws -> FleetTargets {
    let scope: Scope
    do throws(ConfigError) {
      scope = try EnvironmentResolver(project: project).scope(
        for: spec, overrides: overrides, processEnvironment: processEnvironment)
    } catch {
      throw ProjectConfigError(project: project, diagnostics: error.diagnostics)
    }
    let all: [FleetTarget]
    do {
      all = try await FleetTargetResolver.resolve(
        spec, project: project, scope: scope, overrides: overrides,
        processEnvironment: processEnvironment)
    } catch let error as ConfigError {
      throw ProjectConfigError(project: project, diagnostics: error.diagnostics)
    }
    let targets = shard.map { shard in all.filter { shard.contains($0.label) } } ?? all
    return FleetTargets(scope: scope, targets: targets, total: all.count)
  }
}

/// Events of a target nobody watches (text output shows targets, not their steps).
struct SilentSink: EventSink {
  func emit(_ event: Event) {}
}
