/// What a running step gets: its environment, variables, where to report, and resources
/// shared across the steps of one run (such as database connections).
public struct StepContext: Sendable {
  public var environment: ResolvedEnvironment
  public var task: TaskDefinition
  public var scope: Scope
  public var projectRoot: String
  public var events: any EventSink
  public var resources: RunResources
  public var arguments: [String]
  public var isVerbose: Bool

  public init(
    environment: ResolvedEnvironment, task: TaskDefinition, scope: Scope, projectRoot: String, events: any EventSink,
    resources: RunResources, arguments: [String] = [], isVerbose: Bool = false
  ) {
    self.environment = environment
    self.task = task
    self.scope = scope
    self.projectRoot = projectRoot
    self.events = events
    self.resources = resources
    self.arguments = arguments
    self.isVerbose = isVerbose
  }
}
