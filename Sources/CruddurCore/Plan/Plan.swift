/// What a run will do, in order: the value `cruddur plan` prints and `cruddur run` executes.
public struct Plan: Sendable, Codable, Hashable {
  public var tasks: [String]
  public var environment: String
  /// The environment's URL with the password masked.
  public var target: String
  public var steps: [PlannedStep]

  public init(tasks: [String], environment: String, target: String, steps: [PlannedStep]) {
    self.tasks = tasks
    self.environment = environment
    self.target = target
    self.steps = steps
  }
}
