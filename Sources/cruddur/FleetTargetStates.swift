import CruddurCore
import CruddurOutput
import CruddurPostgres

/// What each target of a fleet reads for a saved plan: its steps described from what the
/// target says (the read-only inspection `plan --check` does on one database), as
/// `plan --out` records them and `apply` reads them again. Up to `FleetPlan.parallel`
/// targets are read at once.
enum FleetTargetStates {
  struct Read {
    var saved: SavedFleetTarget
    /// The steps the target described otherwise than the plan, by step index.
    var descriptions: [Int: StepDescription]
  }

  static func read(_ executable: ExecutablePlan, targets: [FleetTarget], projectRoot: String)
    async -> [Read]
  {
    var reads = [Read?](repeating: nil, count: targets.count)
    await withTaskGroup(of: (Int, Read).self) { group in
      var next = 0
      func add() {
        let index = next
        next += 1
        group.addTask {
          (index, await one(executable, target: targets[index], projectRoot: projectRoot))
        }
      }
      while next < min(FleetPlan.parallel, targets.count) { add() }
      while let (index, read) = await group.next() {
        reads[index] = read
        if next < targets.count { add() }
      }
    }
    return reads.map { $0! }
  }

  private static func one(_ executable: ExecutablePlan, target: FleetTarget, projectRoot: String)
    async -> Read
  {
    var one = executable
    one.environment = target.environment(
      of: executable.environment.name, isProtected: executable.environment.isProtected)
    let masked = target.url.description
    do {
      let inspected = try await TargetInspection.inspect(one, projectRoot: projectRoot)
      var descriptions: [Int: StepDescription] = [:]
      var steps: [SavedTargetStep] = []
      for (index, step) in inspected.plan.steps.enumerated()
      where step.description != executable.plan.steps[index].description {
        descriptions[index] = step.description
        steps.append(SavedTargetStep(number: step.number, description: step.description))
      }
      return Read(
        saved: SavedFleetTarget(label: target.label, target: masked, steps: steps),
        descriptions: descriptions)
    } catch {
      let message = (error as? any CruddurError)?.diagnostics.first?.message ?? "\(error)"
      return Read(
        saved: SavedFleetTarget(
          label: target.label, target: masked, steps: [], unreadable: Redaction.redact(message)),
        descriptions: [:])
    }
  }
}
