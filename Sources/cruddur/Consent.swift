import CruddurCore
import CruddurOutput
import Foundation

/// Destructive steps on a protected environment run only with `--yes`, or after the
/// environment's name is typed back on a terminal. Without either, the run is refused
/// before its first step, never half-way.
enum Consent {
  static func obtain(for executable: ExecutablePlan, assumeYes: Bool) throws {
    let steps = Protection.stepsNeedingConsent(executable)
    guard !steps.isEmpty, !assumeYes else { return }
    let environment = executable.environment
    let lines = Protection.describe(steps).map { "  - \($0)" }.joined(separator: "\n")
    guard TerminalPrompt.isAvailable else {
      throw RunError(
        [
          .error(
            "refusing to run \(steps.count) destructive step\(steps.count == 1 ? "" : "s") on protected environment `\(environment.name)` without consent",
            notes: steps.map { .init("\($0.task): \($0.description.summary)") },
            help: "pass --yes, or run it on a terminal and type the environment's name")
        ], exitStatus: .refused)
    }
    let prompt = """
      \(environment.name) is protected (\(environment.url)). These steps are destructive:
      \(lines)
      Type the environment's name to continue: 
      """
    let answer = TerminalPrompt.ask(prompt)
    guard answer == environment.name else {
      throw RunError(
        "not confirmed: expected `\(environment.name)`, nothing was run", exitStatus: .refused)
    }
  }
}
