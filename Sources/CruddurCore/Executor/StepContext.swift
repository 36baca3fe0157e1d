/// What a running step gets: its environment, variables, where to report, and resources
/// shared across the steps of one run (such as database connections).
public struct StepContext: Sendable {
  public var environment: ResolvedEnvironment
  public var task: TaskDefinition
  public var scope: Scope
  public var projectRoot: String
  public var events: any EventSink
  public var resources: RunResources
  public var isVerbose: Bool
  /// `-q`: no progress displays, only errors and the summary.
  public var isQuiet: Bool
  /// Runs `sh:` values and checks for the core, which never spawns a process itself.
  public var dynamicValues: (any DynamicValueResolver)?
  /// Answers `unless: { sql: ... }`; supplied by the Postgres side.
  public var queryCheck: (any QueryCheck)?

  public init(
    environment: ResolvedEnvironment, task: TaskDefinition, scope: Scope, projectRoot: String, events: any EventSink,
    resources: RunResources, isVerbose: Bool = false, isQuiet: Bool = false,
    dynamicValues: (any DynamicValueResolver)? = nil, queryCheck: (any QueryCheck)? = nil
  ) {
    self.environment = environment
    self.task = task
    self.scope = scope
    self.projectRoot = projectRoot
    self.events = events
    self.resources = resources
    self.isVerbose = isVerbose
    self.isQuiet = isQuiet
    self.dynamicValues = dynamicValues
    self.queryCheck = queryCheck
  }

  /// The environment of a process the step starts: every visible variable, the task's
  /// `env:`, `DATABASE_URL` and `CRUDDUR_ENV`. Values travel as variables, never as text
  /// spliced into a command.
  public func processEnvironment() throws(ConfigError) -> [String: String] {
    var values = ChildVariables.values(of: scope, for: task, includingProcessEnvironment: true)
    for (name, template) in task.env.sorted(by: { $0.key < $1.key }) {
      values[name] = try Interpolator.render(template, in: scope)
    }
    values["DATABASE_URL"] = environment.url.secretValue
    values["CRUDDUR_ENV"] = environment.name
    return values
  }
}
