/// How a run ended, step by step.
public struct RunSummary: Sendable, Codable, Hashable {
  public enum Outcome: String, Sendable, Codable { case succeeded, failed, skipped, cancelled, notStarted = "not-started" }

  public struct StepResult: Sendable, Codable, Hashable {
    public var number: Int
    public var task: String
    public var outcome: Outcome
    public var seconds: Double?
  }

  public var steps: [StepResult]
  public var seconds: Double
  public var isInterrupted: Bool
  /// How the first failing step's error ends the process (a step failure, or a config
  /// error only found when the step ran): the error decides, not the command.
  public var failureStatus: ExitStatus?

  public init(steps: [StepResult], seconds: Double, isInterrupted: Bool = false) {
    self.steps = steps
    self.seconds = seconds
    self.isInterrupted = isInterrupted
  }

  public var succeeded: Bool { steps.allSatisfy { $0.outcome == .succeeded || $0.outcome == .skipped } }
  public func count(_ outcome: Outcome) -> Int { steps.filter { $0.outcome == outcome }.count }
}
