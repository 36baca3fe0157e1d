/// Turns requested task names into the plan a run executes: one value for `plan` to print
/// and `run` to carry out.
public struct Planner: Sendable {
  public let project: Project
  public let registry: ExecutorRegistry

  public init(project: Project, registry: ExecutorRegistry) {
    self.project = project
    self.registry = registry
  }

  /// `arguments` are the positional parameters given after the task name for a run; they bind
  /// to the `params` of the tasks named on the command line, and every parameter must then
  /// have a value. A plan alone (nil) shows parameters by name.
  public func plan(
    tasks names: [String], environment: ResolvedEnvironment, scope: Scope, arguments: [String]? = nil
  ) throws(ConfigError) -> ExecutablePlan {
    var diagnostics: [Diagnostic] = []
    for name in names where project.tasks[name] == nil {
      let suggestion = Suggestion.closest(to: name, in: project.taskOrder)
      diagnostics.append(
        .error(
          "unknown task `\(name)`",
          help: suggestion.map { "did you mean `\($0)`?" } ?? "`cruddur list` shows the tasks"))
    }
    if !diagnostics.isEmpty { throw ConfigError(diagnostics) }
    let roots = names.map { TaskReference(name: $0, location: SourceLocation(path: "<command line>", line: 1, column: 1)) }
    let graph = try TaskGraph(roots: roots, tasks: project.tasks)

    // A step waits for the action steps of its prerequisites; composite tasks are see-through.
    var actionSteps: [String: Set<Int>] = [:]
    var bindings: [ExecutablePlan.Binding] = []
    for name in graph.order {
      guard let task = project.tasks[name] else { continue }
      let before = (graph.prerequisites[name] ?? []).reduce(into: Set<Int>()) { $0.formUnion(actionSteps[$1] ?? []) }
      guard let action = task.action, let executor = registry.executor(for: action.key) else {
        actionSteps[name] = before
        continue
      }
      let taskScope: Scope
      do {
        taskScope = try self.scope(for: task, in: scope)
        try checkRequires(task, scope: taskScope)
        if let arguments { try checkParams(task, scope: taskScope, arguments: names.contains(name) ? arguments : []) }
        let context = PlanContext(environment: environment, scope: taskScope, projectRoot: project.root, task: task)
        var description = try executor.describe(action.spec, in: context)
        if task.isDestructive { description.isDestructive = true }
        description.details += RunTimeDetails.lines(for: task, scope: taskScope)
        let number = bindings.count + 1
        actionSteps[name] = [number]
        let step = PlannedStep(
          number: number, task: name, executor: action.key, description: description, after: before.sorted())
        bindings.append(.init(step: step, executor: executor, spec: action.spec, scope: taskScope, task: task))
      } catch let error as ConfigError {
        diagnostics += error.diagnostics
      } catch let error as any CruddurError {
        diagnostics += error.diagnostics
      } catch {
        diagnostics.append(.error("cannot plan `\(name)`: \(Redaction.redact(String(describing: error)))", at: action.location))
      }
    }
    if !diagnostics.isEmpty { throw ConfigError(diagnostics) }
    let plan = Plan(
      tasks: names, environment: environment.name, target: environment.url.description,
      steps: bindings.map(\.step))
    return ExecutablePlan(plan: plan, bindings: bindings, environment: environment)
  }

  /// The task's literal `vars` sit between the process environment and environment vars.
  private func scope(for task: TaskDefinition, in scope: Scope) throws(ConfigError) -> Scope {
    var values: [String: String] = [:]
    for (name, value) in task.vars.sorted(by: { $0.key < $1.key }) {
      if case .template(let template) = value { values[name] = try Interpolator.render(template, in: scope) }
    }
    return values.isEmpty ? scope : scope.inserting(.init("task vars", values), above: "environment vars")
  }

  /// Every parameter has a value, positional or by name, before anything runs.
  private func checkParams(_ task: TaskDefinition, scope: Scope, arguments: [String]) throws(ConfigError) {
    let missing = task.params.enumerated().filter { index, name in
      index >= arguments.count && scope.value(name) == nil
    }
    guard let (index, name) = missing.first else { return }
    throw ConfigError(
      .error(
        "task `\(task.name)` needs parameter `\(name)` ($\(index + 1))", at: task.location,
        help: "pass \(task.params.map { "<\($0)>" }.joined(separator: " ")) after the task name, or `--set \(name)=...`"))
  }

  private func checkRequires(_ task: TaskDefinition, scope: Scope) throws(ConfigError) {
    let missing = task.requires.filter { name in
      scope.value(name).map(\.isEmpty) ?? true
        && !task.vars.keys.contains(name)
    }
    guard !missing.isEmpty else { return }
    throw ConfigError(
      .error(
        "task `\(task.name)` requires \(missing.map { "`\($0)`" }.joined(separator: ", ")), which \(missing.count == 1 ? "is" : "are") not set",
        at: task.location, help: "set \(missing.count == 1 ? "it" : "them") in the environment or with `--set NAME=value`"))
  }
}

/// A plan together with what runs each step: the value `cruddur run` executes.
public struct ExecutablePlan: Sendable {
  public struct Binding: Sendable {
    public var step: PlannedStep
    public var executor: any Executor
    public var spec: any StepSpec
    public var scope: Scope
    public var task: TaskDefinition
  }

  public var plan: Plan
  public var bindings: [Binding]
  public var environment: ResolvedEnvironment
}
