/// Which steps of a plan need the user's consent before anything runs: destructive steps,
/// and steps whose effect cannot be seen (`StepDescription.effectUnknown`), on a
/// `protected` environment, and every step of a task marked `protected: true`.
public enum Protection {
  public static func stepsNeedingConsent(_ bindings: [ExecutablePlan.Binding], environment: ResolvedEnvironment)
    -> [PlannedStep]
  {
    bindings.filter { binding in
      binding.task.isProtected || (environment.isProtected && binding.step.needsConsentWhenProtected)
    }.map(\.step)
  }

  public static func stepsNeedingConsent(_ executable: ExecutablePlan) -> [PlannedStep] {
    executable.plan.steps.filter { executable.plan.consentSteps.contains($0.number) }
  }

  /// "prod is protected: steps 2 and 4 need consent (--yes or type 'prod')", or, when
  /// the reason is the tasks themselves, "task `x` is protected: …".
  public static func notice(
    _ steps: [PlannedStep], bindings: [ExecutablePlan.Binding], environment: ResolvedEnvironment
  ) -> String? {
    guard !steps.isEmpty else { return nil }
    let numbers = steps.map { String($0.number) }
    let list = numbers.count == 1 ? "step \(numbers[0]) needs" : "steps \(joined(numbers)) need"
    let protectedTasks = bindings.filter { $0.task.isProtected && steps.map(\.number).contains($0.step.number) }
      .map { "`\($0.task.name)`" }
    let subject: String
    if environment.isProtected && protectedTasks.isEmpty {
      subject = "\(environment.name) is protected"
    } else if !environment.isProtected {
      subject = protectedTasks.count == 1 ? "task \(protectedTasks[0]) is protected" : "tasks \(joined(protectedTasks)) are protected"
    } else {
      subject = "\(environment.name) is protected, and so \(protectedTasks.count == 1 ? "is task" : "are tasks") \(joined(protectedTasks))"
    }
    return "\(subject): \(list) consent (--yes or type '\(environment.name)')"
  }

  private static func joined(_ items: [String]) -> String {
    items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
  }

  /// Why consent is needed, one line per step, for the prompt and the refusal.
  public static func describe(_ steps: [PlannedStep]) -> [String] {
    steps.map { step in
      "\(step.number). \(step.task): \(step.description.summary)\(step.description.target.map { " on \($0)" } ?? "")"
    }
  }

}
