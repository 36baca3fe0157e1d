import CruddurCommandLine
import CruddurCore
import CruddurOutput
import CruddurPostgres
import Foundation

/// Runs a plan saved by `plan --out` exactly as it was read, or refuses (exit 3) when
/// anything it depends on moved since: a config file, a SQL file or one it includes, the
/// target, the steps. The plan is made again from the same tasks and compared; the loader
/// then also refuses to commit a SQL file whose bytes are not the planned ones.
struct ApplyCommand: CruddurCommand {
  var global: GlobalOptions
  var output: OutputOptions
  var assignments: [String]
  var yes: Bool
  var again: Bool
  var wait: Bool
  var skipDrifted: Bool
  var format: RunCommand.Format
  var fleet: FleetOptions
  var file: String

  init(_ parsed: ParsedCommandLine) throws {
    global = GlobalOptions(parsed)
    output = OutputOptions(parsed)
    assignments = parsed.all("set")
    yes = parsed.flag("yes")
    again = parsed.flag("again")
    wait = parsed.flag("wait")
    skipDrifted = parsed.flag("skip-drifted")
    format = RunCommand.Format(rawValue: parsed.value("format") ?? "text") ?? .text
    fleet = FleetOptions(parsed)
    file = parsed.words[0]
  }
  func run() async throws -> CommandStatus {
    let started = ContinuousClock.now
    let path = SourceLoader.resolve(file, relativeTo: FileManager.default.currentDirectoryPath)
    let kind = FileKind(path: path)
    if kind.problem(shownAs: file) != nil { throw ConfigError(.notAFile(shownAs: file, kind: kind)) }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ConfigError(.cannotRead(path: file))
    }
    let saved = try SavedPlan.decode(data, path: file)
    guard saved.fleet != nil || !skipDrifted else { throw FleetError(.skipDriftedWithoutFleet(path: file)) }
    if saved.fleet == nil, let option = fleet.firstGiven {
      throw FleetError(.fleetOptionWithoutFleet(option: option, environment: saved.environment))
    }
    let project = try global.loadProject()
    if let savedFleet = saved.fleet {
      return try await FleetApply(
        saved: saved, fleet: savedFleet, path: file, project: project, global: global, output: output, format: format,
        assumeYes: yes, waitForLock: wait, skipDrifted: skipDrifted, assignments: assignments, options: fleet,
        digest: SavedPlan.sha256(of: data), again: again
      ).run()
    }
    var environmentOptions = EnvironmentOptions()
    environmentOptions.environment = saved.environment
    environmentOptions.assignments = assignments
    let (environment, scope) = try environmentOptions.resolve(project, global: global)
    let words = saved.invocations.flatMap { [$0.task] + $0.arguments }
    var (executable, invocations) = try Planning.planWithInvocations(
      words: words, project: project, environment: environment, scope: scope, requiresValues: true)
    executable = try await TargetInspection.inspect(executable, projectRoot: project.root)
    let current = SavedPlan(executable: executable, invocations: invocations, project: project)
    // The saved steps as typed values, compared with those made now; then the saved ones run.
    let preparedActions = try saved.preparedActions(for: executable, path: file)
    let changes = saved.differences(from: current, saved: preparedActions, now: executable)
    guard changes.isEmpty else {
      throw RunError(.savedPlanOutdated(path: file, changes: changes))
    }
    for index in executable.bindings.indices {
      if let action = preparedActions[executable.bindings[index].step.number] {
        executable.bindings[index].action = action
      }
    }
    let resources = RunResources()
    let isDestructive = executable.plan.steps.contains(where: \.isDestructive)
    // The plan's identity on the target is the SHA-256 of the file's bytes (which
    // `decode` holds to be exactly what `plan --out` wrote).
    let digest = SavedPlan.sha256(of: data)
    if isDestructive, !again,
      try await AppliedPlan.lastApplied(digest, environment: environment, resources: resources, projectRoot: project.root)
        != nil
    {
      throw RunError(.planAlreadyApplied(path: file, digest: digest, environment: environment.name))
    }
    await resources.closeAll()
    let root = project.root
    let shown = file
    return CommandStatus(
      try await Execution(
      project: project, global: global, output: output, format: format, jobs: nil, assumeYes: yes, waitForLock: wait,
      startedAt: started
    ).run(executable) { resources in
      try await AppliedPlan.record(digest, file: shown, environment: environment, resources: resources, projectRoot: root)
    }.exitStatus())
  }
}
