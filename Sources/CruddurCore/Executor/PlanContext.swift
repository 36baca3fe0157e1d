/// What `describe` may look at: the selected environment and the variables, nothing live.
public struct PlanContext: Sendable {
  public var environment: ResolvedEnvironment
  public var scope: Scope
  public var projectRoot: String
  public var task: TaskDefinition
  /// A step before this one may write files (a shell or plugin step), so a file this step
  /// reads may not exist yet when the plan is made.
  public var earlierStepMayWriteFiles: Bool
  /// What planning owns while it lasts (the processes of a plugin's `describe`), so an
  /// interrupted plan can stop them.
  public var resources: RunResources

  public init(
    environment: ResolvedEnvironment, scope: Scope, projectRoot: String, task: TaskDefinition,
    earlierStepMayWriteFiles: Bool = false, resources: RunResources = RunResources()
  ) {
    self.resources = resources
    self.environment = environment
    self.scope = scope
    self.projectRoot = projectRoot
    self.task = task
    self.earlierStepMayWriteFiles = earlierStepMayWriteFiles
  }
}
