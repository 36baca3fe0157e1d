/// Which steps of a plan need the user's consent before anything runs: destructive steps
/// on a `protected` environment, and every step of a task marked `protected: true`.
public enum Protection {
  public static func stepsNeedingConsent(_ executable: ExecutablePlan) -> [PlannedStep] {
    executable.bindings.filter { binding in
      binding.task.isProtected || (executable.environment.isProtected && binding.step.isDestructive)
    }.map(\.step)
  }

  /// Why consent is needed, one line per step, for the prompt and the refusal.
  public static func describe(_ steps: [PlannedStep]) -> [String] {
    steps.map { step in
      "\(step.task): \(step.description.summary)\(step.description.target.map { " on \($0)" } ?? "")"
    }
  }
}
