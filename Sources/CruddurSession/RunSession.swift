import CruddurCore

/// One run of a plan on one database, as `run` and `apply` both must make it: the session's
/// consent and signal window around `PlanRun` (guards, runner, after-success hooks), one
/// exit status as a value. The statuses: `Session`'s table, then `PlanRun`'s.
public typealias RunSession = Session<PlanRun>

extension Session where Body == PlanRun {
  /// A session of `executable` on `runner`, asking `consent` when a step needs it.
  public convenience init(
    executable: ExecutablePlan, runner: Runner, consent: any ConsentSource,
    guards: [any RunGuard] = [],
    afterSuccess: [AfterSuccessHook] = [], ownsProcess: Bool = true
  ) {
    self.init(
      body: PlanRun(
        executable: executable, runner: runner, guards: guards, afterSuccess: afterSuccess),
      consent: consent, consentRequest: ConsentRequest(executable), ownsProcess: ownsProcess)
  }

  public var executable: ExecutablePlan { body.executable }
  public var runner: Runner { body.runner }
  public var guards: [any RunGuard] { body.guards }
  public var afterSuccess: [AfterSuccessHook] { body.afterSuccess }
}
