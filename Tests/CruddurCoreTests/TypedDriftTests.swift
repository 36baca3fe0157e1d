import CruddurCore
import Foundation
import Testing

/// An executor whose target is a list it is given: `inspect` returns its `Prepared` with the
/// list read (what a migrate's pending migrations are), and a count that moves with every
/// read (what a table's size is), shown but not part of the value.
private struct ReadingExecutor: Executor {
  struct Spec: StepSpec {}
  struct Prepared: Codable, Sendable, Hashable {
    var pending: [String]?
    var shownOnly: Int = 0

    static func == (a: Prepared, b: Prepared) -> Bool { a.pending == b.pending }
    func hash(into hasher: inout Hasher) { hasher.combine(pending) }
  }

  /// What the target says.
  let target: [String]
  let reads: Int
  var actionKey: String { "reading" }
  func decode(_ input: ActionInput, diagnostics: inout [Diagnostic]) -> Spec? { Spec() }
  func prepare(_ spec: Spec, in context: PlanContext) throws -> Prepared { Prepared() }
  func describe(_ prepared: Prepared) -> StepDescription {
    guard let pending = prepared.pending else {
      return StepDescription(target: nil, summary: "apply what is pending (read at run time)")
    }
    var description = StepDescription(
      target: nil, summary: "apply \(pending.joined(separator: ", "))",
      details: ["read \(prepared.shownOnly) times"])
    description.targetState = pending
    return description
  }
  func inspect(_ prepared: Prepared, spec: Spec, step: PlannedStep, in context: StepContext)
    async throws -> Prepared?
  {
    Prepared(pending: target, shownOnly: reads)
  }
  func run(_ prepared: Prepared, spec: Spec, step: PlannedStep, in context: StepContext)
    async throws
  {}
}

/// `inspect` returns the step's `Prepared` as the target says, `describe` shows a planned or
/// an inspected value, and a saved plan's drift is `saved != inspected` as values of the
/// executor's type: a shown-only field never drifts, a field of the value always does.
/// Pure: no server, no process.
@Suite struct TypedDriftTests {
  private struct Silence: EventSink {
    func emit(_ event: Event) {}
  }

  /// The plan of task `t` made with `executor`, each step inspected as `plan --out` does.
  private static func inspected(_ executor: ReadingExecutor, in directory: String) async throws
    -> (ExecutablePlan, Project)
  {
    let registry = ExecutorRegistry([executor])
    let (project, diagnostics) = ProjectDecoder(registry: registry).load(
      configPath: directory + "/cruddur.yml")
    #expect(diagnostics.isEmpty, "\(diagnostics)")
    let resolver = EnvironmentResolver(project: project)
    let environment = try resolver.select(explicit: nil, processEnvironment: [:])
    let scope = try resolver.scope(for: environment, overrides: [:], processEnvironment: [:])
    let resolved = try resolver.resolve(environment, in: scope)
    var plan = try Planner(project: project, registry: registry).plan(
      [Invocation(task: "t")], environment: resolved, scope: scope)
    for (index, binding) in plan.bindings.enumerated() {
      let context = StepContext(
        environment: resolved, task: binding.task, scope: binding.scope, projectRoot: project.root,
        events: Silence(), resources: RunResources())
      guard let action = try await binding.action.inspect(step: binding.step, in: context)
      else { continue }
      plan.bindings[index].action = action
      plan.bindings[index].step.description = action.description
      plan.plan.steps[index].description = action.description
    }
    return (plan, project)
  }

  private static func project() throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "cruddur-drift-\(UUID())"
    ).path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try """
    version: 1
    environments:
      local: { default: true, url: "postgres://u@h/db" }
    tasks:
      t: { reading: yes }
    """.write(toFile: directory + "/cruddur.yml", atomically: false, encoding: .utf8)
    return directory
  }

  @Test(
    "the inspected value is what a plan shows and saves; read again alike (a shown-only field moved) it is no drift; hostile: another pending list is, by the saved value's summary"
  )
  func savedAgainstInspected() async throws {
    let directory = try Self.project()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let (planned, project) = try await Self.inspected(
      ReadingExecutor(target: ["a", "b"], reads: 1), in: directory)
    #expect(planned.plan.steps[0].description.summary == "apply a, b")
    #expect(planned.plan.steps[0].description.details == ["read 1 times"])
    let saved = SavedPlan(
      executable: planned, invocations: [Invocation(task: "t")], project: project)
    #expect(
      saved.prepared[0].value
        == .object(["pending": .array([.string("a"), .string("b")]), "shownOnly": .integer(1)]))

    let (same, _) = try await Self.inspected(
      ReadingExecutor(target: ["a", "b"], reads: 7), in: directory)
    let read = try saved.preparedActions(for: same, path: "p.json")
    #expect(read[1]?.hasSamePrepared(as: same.bindings[0].action) == true)
    #expect(saved.preparedChanges(saved: read, now: same).isEmpty)

    let (moved, _) = try await Self.inspected(
      ReadingExecutor(target: ["a"], reads: 1), in: directory)
    let readAgain = try saved.preparedActions(for: moved, path: "p.json")
    #expect(
      saved.preparedChanges(saved: readAgain, now: moved) == [
        "step 1 (t) changed: apply a, b → apply a"
      ])
  }

  @Test(
    "a planned value (nothing read) is described as such and differs from an inspected one; hostile: a saved value edited to name another list is read as written and differs from the target's"
  )
  func plannedAndEdited() async throws {
    let directory = try Self.project()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let (inspected, project) = try await Self.inspected(
      ReadingExecutor(target: ["a", "b"], reads: 1), in: directory)
    let executor = ReadingExecutor(target: [], reads: 0)
    #expect(
      executor.describe(ReadingExecutor.Prepared()).summary
        == "apply what is pending (read at run time)")
    var saved = SavedPlan(
      executable: inspected, invocations: [Invocation(task: "t")], project: project)
    saved.prepared[0].value = .object([
      "pending": .array([.string("b")]), "shownOnly": .integer(1),
    ])
    let read = try saved.preparedActions(for: inspected, path: "p.json")
    #expect(read[1]?.description.summary == "apply b")
    #expect(
      saved.preparedChanges(saved: read, now: inspected) == [
        "step 1 (t) changed: apply b → apply a, b"
      ])
  }
}
