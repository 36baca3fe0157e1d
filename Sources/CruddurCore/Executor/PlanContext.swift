/// What `describe` may look at: the selected environment and the variables, nothing live.
public struct PlanContext: Sendable {
  public var environment: ResolvedEnvironment
  public var scope: Scope
  public var projectRoot: String
  public var task: TaskDefinition

  public init(environment: ResolvedEnvironment, scope: Scope, projectRoot: String, task: TaskDefinition) {
    self.environment = environment
    self.scope = scope
    self.projectRoot = projectRoot
    self.task = task
  }
}
