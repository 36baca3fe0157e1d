/// One step of a plan: a task with an action, resolved against an environment.
public struct PlannedStep: Sendable, Codable, Hashable {
  /// 1-based position in run order.
  public var number: Int
  public var task: String
  public var executor: String
  public var description: StepDescription
  /// Numbers of the steps that must finish before this one starts.
  public var after: [Int]
  public var isDestructive: Bool { description.isDestructive }
  /// Destructive, or its effect cannot be seen: a protected environment asks first.
  public var needsConsentWhenProtected: Bool { description.isDestructive || description.effectUnknown != nil }

  public init(number: Int, task: String, executor: String, description: StepDescription, after: [Int]) {
    self.number = number
    self.task = task
    self.executor = executor
    self.description = description
    self.after = after
  }
}
