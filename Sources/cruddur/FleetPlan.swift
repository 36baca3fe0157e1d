import CruddurCore
import CruddurOutput
import CruddurPostgres
import Foundation

/// `cruddur plan TASK -e FLEET`: the fleet's target count and the steps once (every target
/// runs the same steps). Reading the targets connects (a pattern or a query is answered by
/// a server). With `--check`, each target is read as `plan --check` reads one (read-only)
/// and the targets are grouped by what they would do. With `--out`, every target is read
/// so and the plan saved with a fleet section (`SavedFleet`), for `apply`.
enum FleetPlan {
  static let parallel = 16

  static func print(
    _ spec: EnvironmentSpec, project: Project, words: [String], check: Bool, out: String?,
    json: Bool,
    global: GlobalOptions, environmentOptions: EnvironmentOptions
  ) async throws {
    let read = try await FleetTargets.read(
      spec, project: project, overrides: try environmentOptions.overrides(),
      processEnvironment: global.processEnvironment, shard: nil)
    guard let first = read.targets.first else { return }
    let (executable, invocations) = try Planning.planWithInvocations(
      words: words, project: project,
      environment: first.environment(of: spec.name, isProtected: spec.isProtected),
      scope: read.scope, requiresValues: out != nil)
    // The plan must not replace what it was made from (as for one database).
    let reads =
      (Array(project.sources.texts.keys)
      + executable.plan.steps.flatMap(\.description.files).map(\.path)).map {
        $0.hasPrefix("/") ? $0 : project.root + "/" + $0
      } + [project.configPath]
    if let out, let refusal = OutputFile.refusal(at: out, reads: reads) {
      throw RunError(.refusedOutput(path: out, reason: refusal.reason))
    }
    let servers = Set(read.targets.map(\.server)).count
    let header =
      "fleet \(spec.name): \(read.targets.count) target\(read.targets.count == 1 ? "" : "s") on \(servers) server\(servers == 1 ? "" : "s"), the same steps on each"
    if json {
      try Planning.print(executable.plan, as: .json, terminal: global.stdoutTerminal)
    } else {
      OutputStream.standardOutput.write(
        header + "\n" + PlanRenderer.text(executable.plan, terminal: global.stdoutTerminal))
    }
    if let out {
      try await save(
        executable, invocations: invocations, targets: read.targets, project: project, to: out,
        reads: reads)
    }
    guard check else { return }
    let groups = await FleetPlanGroups.read(
      executable, targets: read.targets, projectRoot: project.root)
    var text = "checked on each target (read-only):\n"
    for group in groups {
      let n = group.targets.count
      text += "  \(n) target\(n == 1 ? "" : "s"): \(group.what)"
      text +=
        n <= 3
        ? " (\(group.targets.joined(separator: ", ")))\n"
        : " (\(group.targets.prefix(3).joined(separator: ", ")), …)\n"
    }
    OutputStream.standardOutput.write(text)
  }

  /// Reads every target (refusing to save a plan with a target it could not read), then
  /// writes the plan with each target's reading.
  static func save(
    _ executable: ExecutablePlan, invocations: [Invocation], targets: [FleetTarget],
    project: Project, to out: String, reads: [String]
  ) async throws {
    let states = await FleetTargetStates.read(
      executable, targets: targets, projectRoot: project.root)
    if let bad = states.first(where: { $0.saved.unreadable != nil }) {
      throw FleetError(
        .targetUnreadableForPlan(label: bad.saved.label, reason: bad.saved.unreadable ?? ""))
    }
    let saved = SavedPlan(
      executable: executable, invocations: invocations, project: project,
      fleet: SavedFleet(targets: states.map(\.saved)))
    let text = try saved.encoded()
    try OutputFile.write(text, to: out, shownAs: out, reads: reads)
    let n = targets.count
    OutputStream.standardError.write(
      "saved to \(out) (sha256 \(SavedPlan.sha256(of: Data(text.utf8)).prefix(12))…) with what each of the \(n) target\(n == 1 ? "" : "s") read; run it with `cruddur apply \(out)`\n"
    )
  }
}

/// Targets grouped by what their steps would do, read from each one, largest group first.
enum FleetPlanGroups {
  struct Group {
    var what: String
    var targets: [String]
  }

  static func read(_ executable: ExecutablePlan, targets: [FleetTarget], projectRoot: String) async
    -> [Group]
  {
    var answers = [String](repeating: "", count: targets.count)
    await withTaskGroup(of: (Int, String).self) { group in
      var next = 0
      func add() {
        let index = next
        next += 1
        var one = executable
        one.environment = targets[index].environment(
          of: executable.environment.name, isProtected: false)
        group.addTask {
          do {
            let inspected = try await TargetInspection.inspect(one, projectRoot: projectRoot)
            return (
              index,
              inspected.plan.steps.map {
                "\($0.task): \($0.description.summary)"
                  + $0.description.details.map { "; " + $0 }.joined()
              }.joined(separator: " | ")
            )
          } catch {
            let message = (error as? any CruddurError)?.diagnostics.first?.message ?? "\(error)"
            return (index, "unreachable: \(Redaction.redact(message))")
          }
        }
      }
      while next < min(FleetPlan.parallel, targets.count) { add() }
      while let (index, answer) = await group.next() {
        answers[index] = answer
        if next < targets.count { add() }
      }
    }
    var order: [String] = []
    var byAnswer: [String: [String]] = [:]
    for (target, answer) in zip(targets, answers) {
      if byAnswer[answer] == nil { order.append(answer) }
      byAnswer[answer, default: []].append(target.label)
    }
    return order.map { Group(what: $0, targets: byAnswer[$0]!) }.sorted {
      $0.targets.count > $1.targets.count
    }
  }
}
