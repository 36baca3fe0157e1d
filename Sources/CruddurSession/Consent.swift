import CruddurCore
import Foundation

/// Destructive steps on a protected environment run only with `--yes`, or after the
/// environment's name is typed back on a terminal. Without either, the run is refused
/// before its first step, never half-way.
public enum Consent {
  public static func obtain(for executable: ExecutablePlan, assumeYes: Bool) throws {
    let steps = Protection.stepsNeedingConsent(executable)
    guard !steps.isEmpty, !assumeYes, let notice = executable.plan.consentNotice else { return }
    let environment = executable.environment
    let lines = Protection.describe(steps).map { "  \($0)" }.joined(separator: "\n")
    guard TerminalPrompt.isAvailable else {
      throw RunError(
        .consentRequired(notice: notice, steps: Protection.describe(steps), environment: environment.name))
    }
    let prompt = """
      \(notice). On \(environment.url):
      \(lines)
      Type '\(environment.name)' to continue: 
      """
    let answer = TerminalPrompt.ask(prompt)
    guard answer == environment.name else {
      throw RunError(.consentNotConfirmed(environment: environment.name))
    }
  }
}
