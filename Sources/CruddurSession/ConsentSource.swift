import CruddurCore

/// Where the consent a protected run needs comes from: `--yes` (`GivenConsent`) or the
/// environment's name typed back on a terminal (the binary's `TerminalConsent`, which
/// refuses when there is no terminal). Asked only when the plan has steps needing consent,
/// before any guard is taken or any step runs.
public protocol ConsentSource: Sendable {
  /// Returns when the steps may run; throws the refusal (exit 3) otherwise.
  func obtain(_ request: ConsentRequest) async throws
}

/// What consent is asked for: the plan's notice, where, and which steps.
public struct ConsentRequest: Sendable, Equatable {
  /// "prod is protected: step 2 needs consent (--yes or type 'prod')".
  public var notice: String
  public var environment: String
  /// The target as plans show it (the password masked).
  public var target: String
  /// One line per step needing consent (`Protection.describe`).
  public var steps: [String]
  /// For a fleet, how many targets the steps run on (asked once for all); nil for one
  /// database.
  public var fleetTargets: Int?

  public init(
    notice: String, environment: String, target: String, steps: [String], fleetTargets: Int? = nil
  ) {
    self.notice = notice
    self.environment = environment
    self.target = target
    self.steps = steps
    self.fleetTargets = fleetTargets
  }

  /// The request `executable` needs, nil when no step needs consent.
  public init?(_ executable: ExecutablePlan) {
    let steps = Protection.stepsNeedingConsent(executable)
    guard !steps.isEmpty, let notice = executable.plan.consentNotice else { return nil }
    self.init(
      notice: notice, environment: executable.environment.name,
      target: "\(executable.environment.url)",
      steps: Protection.describe(steps))
  }
}

/// `--yes`: consent given on the command line.
public struct GivenConsent: ConsentSource {
  public init() {}
  public func obtain(_ request: ConsentRequest) async throws {}
}

extension ConsentSource where Self == GivenConsent {
  /// `--yes`.
  public static var given: GivenConsent { GivenConsent() }
}
