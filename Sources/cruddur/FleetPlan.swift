import ArgumentParser
import CruddurCore
import CruddurOutput
import CruddurPostgres
import Foundation

/// `cruddur plan TASK -e FLEET`: the fleet's target count and the steps once (every target
/// runs the same steps). Reading the targets connects (a pattern or a query is answered by
/// a server). With `--check`, each target is read as `plan --check` reads one (read-only)
/// and the targets are grouped by what they would do.
enum FleetPlan {
  static let parallel = 16

  static func print(
    _ spec: EnvironmentSpec, project: Project, words: [String], check: Bool, out: String?,
    json: Bool,
    global: GlobalOptions, environmentOptions: EnvironmentOptions
  ) async throws {
    if out != nil {
      throw FleetError(.savedFleetPlan)
    }
    let read = try await FleetTargets.read(
      spec, project: project, overrides: try environmentOptions.overrides(),
      processEnvironment: global.processEnvironment, shard: nil)
    guard let first = read.targets.first else { return }
    let executable = try Planning.plan(
      words: words, project: project,
      environment: first.environment(of: spec.name, isProtected: spec.isProtected),
      scope: read.scope, requiresValues: false)
    let servers = Set(read.targets.map(\.server)).count
    let header =
      "fleet \(spec.name): \(read.targets.count) target\(read.targets.count == 1 ? "" : "s") on \(servers) server\(servers == 1 ? "" : "s"), the same steps on each"
    if json {
      try Planning.print(executable.plan, as: .json, terminal: global.stdoutTerminal)
    } else {
      OutputStream.standardOutput.write(
        header + "\n" + PlanRenderer.text(executable.plan, terminal: global.stdoutTerminal))
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
