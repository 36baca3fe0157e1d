import Foundation

/// Turns requested task names into the plan a run executes: one value for `plan` to print
/// and `run` to carry out.
public struct Planner: Sendable {
  public let project: Project
  public let registry: ExecutorRegistry
  public let resources: RunResources

  public init(project: Project, registry: ExecutorRegistry, resources: RunResources = RunResources()) {
    self.project = project
    self.registry = registry
    self.resources = resources
  }

  /// Each invocation's words bind, in order, to the `params` of its task (and of the tasks
  /// a composite one runs), above every other variable source. With `requiresValues` (a
  /// run) every parameter must then have a value; a plan alone shows missing ones by name.
  /// `detailed`: the plan will be shown (see `PlanContext.detailed`).
  public func plan(
    _ invocations: [Invocation], environment: ResolvedEnvironment, scope: Scope, requiresValues: Bool = true,
    detailed: Bool = true
  ) throws(ConfigError) -> ExecutablePlan {
    var diagnostics: [Diagnostic] = []
    let names = invocations.map(\.task)
    for name in names where project.tasks[name] == nil {
      diagnostics.append(InvocationParser.unknownTask(name, order: project.taskOrder, after: nil))
    }
    if !diagnostics.isEmpty { throw ConfigError(diagnostics) }
    let parameters = parameterValues(for: invocations)
    let roots = names.map { TaskReference(name: $0, location: SourceLocation(path: "<command line>", line: 1, column: 1)) }
    let graph = try TaskGraph(roots: roots, tasks: project.tasks)

    // A step waits for the action steps of its prerequisites; composite tasks are see-through.
    var actionSteps: [String: Set<Int>] = [:]
    var bindings: [ExecutablePlan.Binding] = []
    for name in graph.order {
      guard let task = project.tasks[name] else { continue }
      let before = (graph.prerequisites[name] ?? []).reduce(into: Set<Int>()) { $0.formUnion(actionSteps[$1] ?? []) }
      guard let action = task.action else {
        actionSteps[name] = before
        continue
      }
      let taskScope: Scope
      do {
        taskScope = try self.scope(for: task, in: scope, parameters: parameters[name] ?? [:])
        try checkRequires(task, scope: taskScope)
        if requiresValues { try checkParams(task, scope: taskScope) }
        let context = PlanContext(
          environment: environment, scope: taskScope, projectRoot: project.root, task: task,
          earlierStepMayWriteFiles: bindings.contains { $0.action.mayWriteFiles }, resources: resources,
          detailed: detailed)
        let prepared = try action.bound.prepare(in: context)
        var description = prepared.description
        if task.isDestructive { description.isDestructive = true }
        let plannerDetails =
          parameterLines(for: task, scope: taskScope)
          + RunTimeDetails.lines(for: task, scope: taskScope)
        description.details += plannerDetails
        let number = bindings.count + 1
        actionSteps[name] = [number]
        let step = PlannedStep(
          number: number, task: name, executor: action.key, description: description,
          after: before.sorted())
        bindings.append(
          .init(
            step: step, action: prepared, scope: taskScope, task: task,
            plannerDetails: plannerDetails))
      } catch let error as ConfigError {
        diagnostics += error.diagnostics
      } catch let error as any CruddurError {
        diagnostics += error.diagnostics
      } catch {
        diagnostics.append(
          ConfigErrorKind.cannotPlan(task: name, reason: Redaction.redact(String(describing: error)))
            .diagnostic(at: action.location))
      }
    }
    if !diagnostics.isEmpty { throw ConfigError(diagnostics) }
    let consent = Protection.stepsNeedingConsent(bindings, environment: environment)
    var plan = Plan(
      tasks: names, environment: environment.name, target: environment.url.description,
      steps: bindings.map(\.step), consentSteps: consent.map(\.number),
      consentNotice: Protection.notice(consent, bindings: bindings, environment: environment))
    plan.passwordSource = environment.password?.description
    return ExecutablePlan(plan: plan, bindings: bindings, environment: environment)
  }

  /// The task's literal `vars` sit between the process environment and environment vars;
  /// its parameters from the command line above everything. A var may use another of the
  /// same task: each is rendered after those it uses, with them in scope at their layer.
  private func scope(for task: TaskDefinition, in scope: Scope, parameters: [String: String]) throws(ConfigError)
    -> Scope
  {
    var scope = scope
    if !parameters.isEmpty { scope = scope.inserting(.init(.parameters, parameters)) }
    var templates: [String: Template] = [:]
    for (name, value) in task.vars {
      if case .template(let template) = value { templates[name] = template }
    }
    guard !templates.isEmpty else { return scope }
    var values: [String: String] = [:]
    for name in try VariableOrder.order(templates, in: "`vars:` of task `\(task.name)`") {
      let sofar = scope.inserting(.init(.taskVars, values))
      values[name] = try Interpolator.render(templates[name]!, in: sofar)
    }
    return scope.inserting(.init(.taskVars, values))
  }

  /// Parameter values by task: an invocation's words go to its task's `params` and, for a
  /// composite task, to the tasks it runs that declare a parameter of the same name.
  private func parameterValues(for invocations: [Invocation]) -> [String: [String: String]] {
    var byTask: [String: [String: String]] = [:]
    for invocation in invocations {
      guard let task = project.tasks[invocation.task] else { continue }
      let values = Dictionary(
        zip(task.params, invocation.arguments).map { ($0, $1) }, uniquingKeysWith: { first, _ in first })
      guard !values.isEmpty else { continue }
      var seen: Set<String> = []
      var pending = [invocation.task]
      while let name = pending.popLast() {
        guard seen.insert(name).inserted, let reached = project.tasks[name] else { continue }
        let own = values.filter { reached.params.contains($0.key) }
        if !own.isEmpty { byTask[name, default: [:]].merge(own) { kept, _ in kept } }
        pending += (reached.steps + reached.deps).map(\.name)
      }
    }
    return byTask
  }

  /// The value each parameter would be bound to, so a dry-run shows what the run would
  /// send; a secret one (`secrets:`, or named like a password) masked.
  private func parameterLines(for task: TaskDefinition, scope: Scope) -> [String] {
    // A plan of the task alone (no values at all) names its parameters already.
    guard task.params.contains(where: { scope.value($0) != nil }) else { return [] }
    let values = task.params.map { name in
      guard let (value, origin) = scope.lookup(name) else { return "\(name) not given (a run refuses)" }
      let isSecret = project.secrets.contains(name) || Redaction.isSecretName(name)
      let shown = isSecret ? Redaction.mask : "'\(value.replacingOccurrences(of: "'", with: "''"))'"
      return "\(name): \(shown)" + (origin == .parameters ? "" : " (from \(origin))")
    }
    return ["bound: " + values.joined(separator: ", ")]
  }

  /// Every parameter has a value, positional or by name, before anything runs.
  private func checkParams(_ task: TaskDefinition, scope: Scope) throws(ConfigError) {
    let missing = task.params.enumerated().filter { _, name in scope.value(name) == nil }
    guard let (index, name) = missing.first else { return }
    throw ConfigError(
      .missingParameter(task: task.name, name: name, position: index + 1, params: task.params), at: task.location)
  }

  private func checkRequires(_ task: TaskDefinition, scope: Scope) throws(ConfigError) {
    let missing = task.requires.filter { name in
      scope.value(name).map(\.isEmpty) ?? true
        && !task.vars.keys.contains(name)
    }
    guard !missing.isEmpty else { return }
    throw ConfigError(.requiredVariablesUnset(task: task.name, names: missing), at: task.location)
  }
}

/// A plan together with what runs each step: the value `cruddur run` executes.
public struct ExecutablePlan: Sendable {
  public struct Binding: Sendable {
    public var step: PlannedStep
    public var action: PreparedAction
    public var scope: Scope
    public var task: TaskDefinition
    /// The lines the planner added to the step's description (parameters bound, run-time
    /// limits), besides the executor's.
    public var plannerDetails: [String] = []
  }

  public var plan: Plan
  public var bindings: [Binding]
  public var environment: ResolvedEnvironment
}
