import CruddurCore
import CruddurOutput
import CruddurPostgres
import Foundation

/// `cruddur apply FILE` of a fleet's saved plan: the fleet read again, the plan made again
/// from the same tasks and compared (config, files, steps, and each step's saved `Prepared`
/// value as a value: any change refuses the whole plan), then every target read again and
/// compared with what it read when the plan was made. A target that drifted (its applied
/// migrations moved, it is gone, it is new, it cannot be read) is named with why; none runs
/// unless `--skip-drifted`, which runs the others and names the skipped ones again after the
/// summary. Consent, when the fleet is protected, is asked once, as for a run. What runs
/// are the saved values, decoded.
struct FleetApply {
  var saved: SavedPlan
  var fleet: SavedFleet
  /// The plan's path as typed.
  var path: String
  var project: Project
  var global: GlobalOptions
  var output: OutputOptions
  var format: RunCommand.Format
  var assumeYes: Bool
  var waitForLock: Bool
  var skipDrifted: Bool
  var assignments: [String]
  /// `--parallel`, `--canary`, `--max-failures`, `--shard`, `--run-id`, `--resume`, as for a run.
  var options: FleetOptions
  /// The SHA-256 of the plan file: recorded on each target it finishes
  /// (`cruddur.applied_plans`), where a destructive plan is refused a second time.
  var digest: String
  /// `--again`: apply a destructive plan to targets it was applied to before.
  var again: Bool

  func run() async throws -> CommandStatus {
    let (shard, runID) = try options.validated()
    var environmentOptions = EnvironmentOptions()
    environmentOptions.environment = saved.environment
    environmentOptions.assignments = assignments
    guard
      let spec = try FleetSelection.fleet(project, environmentOptions, .unset, global: global)
    else {
      throw RunError(
        .savedPlanOutdated(
          path: path, changes: ["environment \(saved.environment) is no longer a fleet"]))
    }
    let overrides = try environmentOptions.overrides()
    // The whole fleet, then the shard: the steps' saved values were prepared on the plan's
    // first target, which may be another shard's.
    let whole = try await FleetTargets.read(
      spec, project: project, overrides: overrides, processEnvironment: global.processEnvironment,
      shard: nil)
    let read = FleetTargets(
      scope: whole.scope,
      targets: shard.map { shard in whole.targets.filter { shard.contains($0.label) } }
        ?? whole.targets, total: whole.total)
    guard !read.targets.isEmpty else {
      read.sayEmpty(shard: shard, fleet: spec.name, quiet: output.quiet)
      return .ok
    }
    try read.checkCanary(options.canary)
    let words = saved.invocations.flatMap { [$0.task] + $0.arguments }
    // A step's `Prepared` value names its target (a database's name, its address): made
    // again on the target the saved ones were made on, they compare as values.
    guard
      let preparedOn = fleet.targets.first.flatMap({ planned in
        whole.targets.first { $0.label == planned.label }
      })
    else {
      throw RunError(
        .savedPlanOutdated(
          path: path,
          changes: [
            "\(fleet.targets.first?.label ?? "(no target)"), which the plan's steps were prepared on, is gone from the fleet"
          ]))
    }
    var (executable, invocations) = try Planning.planWithInvocations(
      words: words, project: project,
      environment: preparedOn.environment(of: spec.name, isProtected: spec.isProtected),
      scope: read.scope, requiresValues: true)
    let current = SavedPlan(executable: executable, invocations: invocations, project: project)
    var changes = saved.fleetDifferences(from: current)
    // The saved steps read field for field by today's executors (an edited one is refused by
    // name), each compared as a value with the one made now; then the saved ones run.
    let preparedActions = try saved.preparedActions(for: executable, path: path)
    if changes.isEmpty { changes = saved.preparedChanges(saved: preparedActions, now: executable) }
    guard changes.isEmpty else {
      throw RunError(.savedPlanOutdated(path: path, changes: changes))
    }
    for index in executable.bindings.indices {
      if let action = preparedActions[executable.bindings[index].step.number] {
        executable.bindings[index].action = action
      }
    }
    let states = await FleetTargetStates.read(
      executable, targets: read.targets, projectRoot: project.root)
    let tasks = Dictionary(
      executable.plan.steps.map { ($0.number, $0.task) }, uniquingKeysWith: { a, _ in a })
    // A shard answers for its own targets: the plan's others are other shards' to check.
    let planned = SavedFleet(targets: fleet.targets.filter { shard?.contains($0.label) ?? true })
    var drifted = planned.drift(from: SavedFleet(targets: states.map(\.saved)), tasks: tasks)
    if let resume = options.resume, !drifted.isEmpty {
      // A target this run finished has moved since the plan by the plan's own doing: it
      // is no drift, and the run skips it as done.
      let finished = await Self.finished(
        in: resume,
        among: read.targets.filter { target in drifted.contains { $0.label == target.label } })
      drifted.removeAll { finished.contains($0.label) }
    }
    let driftedLabels = Set(drifted.map(\.label))
    let kept = zip(read.targets, states).filter { !driftedLabels.contains($0.0.label) }
    if !drifted.isEmpty, !skipDrifted || kept.isEmpty {
      throw FleetError(
        .planDrifted(
          path: path, drifted: drifted, targets: planned.targets.count, skipping: skipDrifted))
    }
    if !drifted.isEmpty, format != .json {
      OutputStream.standardError.write(Self.skipped(drifted, detailed: true))
    }
    var inspected: [String: [Int: StepDescription]] = [:]
    for (target, state) in kept { inspected[target.label] = state.descriptions }
    let execution = FleetExecution(
      project: project, spec: spec, global: global, output: output, format: format,
      assumeYes: assumeYes, waitForLock: waitForLock, dryRun: false, words: words,
      options: options, overrides: overrides)
    let header = FleetExecution.header(
      "cruddur apply \(path)", fleet: spec.name, targets: kept.map(\.0),
      note: (shard.map { " (shard \($0) of \(read.total))" } ?? "")
        + (drifted.isEmpty ? "" : " (\(drifted.count) drifted, skipped)"),
      steps: executable.plan.steps.count)
    let outcome = await execution.execute(
      executable, targets: kept.map(\.0), header: header, runID: runID, shard: shard,
      inspected: inspected,
      appliedPlan: FleetAppliedPlan(
        digest: digest, file: path,
        refusesIfApplied: !again && executable.plan.steps.contains(where: \.isDestructive)),
      resumeCommand: "cruddur apply \(path)")
    if !drifted.isEmpty, format != .json {
      OutputStream.standardOutput.write(Self.skipped(drifted, detailed: false))
    }
    return CommandStatus(try outcome.exitStatus())
  }

  /// The labels of `targets` whose record of run `runID` says done; a target that cannot
  /// be read counts as not finished (it is then named as drifted, with why).
  static func finished(in runID: String, among targets: [FleetTarget]) async -> Set<String> {
    await withTaskGroup(of: String?.self) { group in
      for target in targets {
        group.addTask {
          let entry = try? await FleetRunRecord.read(target, runID: runID)
          return entry?.outcome == FleetTargetResult.Outcome.succeeded.rawValue ? target.label : nil
        }
      }
      var labels = Set<String>()
      for await label in group { if let label { labels.insert(label) } }
      return labels
    }
  }

  /// The skipped targets: with their reasons before the run, by name after it.
  static func skipped(_ drifted: [FleetDrift], detailed: Bool) -> String {
    let n = drifted.count
    let head = "skipped \(n) drifted target\(n == 1 ? "" : "s") (--skip-drifted)"
    if detailed {
      return head + ":\n"
        + drifted.map { "  \($0.label): \($0.reasons.joined(separator: "; "))\n" }.joined()
    }
    return head + ": " + drifted.map(\.label).joined(separator: ", ") + "\n"
  }
}
