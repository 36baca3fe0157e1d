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
  /// Whether the plan is shown (`plan`, `--dry-run`, a saved plan): its detail lines are
  /// read. A plain run shows each step's summary only, so an executor may skip work done
  /// for the detail lines alone; never what decides consent, refusal or what runs.
  public var detailed: Bool

  public init(
    environment: ResolvedEnvironment, scope: Scope, projectRoot: String, task: TaskDefinition,
    earlierStepMayWriteFiles: Bool = false, resources: RunResources = RunResources(), detailed: Bool = true
  ) {
    self.detailed = detailed
    self.resources = resources
    self.environment = environment
    self.scope = scope
    self.projectRoot = projectRoot
    self.task = task
    self.earlierStepMayWriteFiles = earlierStepMayWriteFiles
  }
}
