/// What a run will do, in order: the value `cruddur plan` prints and `cruddur run` executes.
public struct Plan: Sendable, Codable, Hashable {
  /// The version of the plan's JSON shape (docs/json.md), raised on any incompatible change.
  public var version = 1
  public var tasks: [String]
  public var environment: String
  /// The environment's URL with the password masked.
  public var target: String
  public var steps: [PlannedStep]
  /// Steps that need consent before anything runs (`Protection`), and the sentence that
  /// says so, shown before step 1 of a plan and in the prompt or refusal of a run.
  public var consentSteps: [Int]
  public var consentNotice: String?
  /// Where the password will come from when the environment has a `password:` source
  /// (said, never fetched, by a plan).
  public var passwordSource: String?

  public init(
    tasks: [String], environment: String, target: String, steps: [PlannedStep], consentSteps: [Int] = [],
    consentNotice: String? = nil
  ) {
    self.tasks = tasks
    self.environment = environment
    self.target = target
    self.steps = steps
    self.consentSteps = consentSteps
    self.consentNotice = consentNotice
  }
}
