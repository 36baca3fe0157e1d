import CruddurCore
import CruddurSession
import Foundation

/// Destructive steps on a protected environment run after the environment's name is typed
/// back on a terminal. Without a terminal the run is refused before its first step, never
/// half-way (`--yes` is `GivenConsent`). In the binary, beside `TerminalPrompt`, whose
/// Ctrl-C sent as a signal ends the process from its handler: only `main`'s target may.
struct TerminalConsent: ConsentSource {
  func obtain(_ request: ConsentRequest) async throws {
    guard TerminalPrompt.isAvailable else {
      throw RunError(
        .consentRequired(
          notice: request.notice, steps: request.steps, environment: request.environment))
    }
    let lines = request.steps.map { "  \($0)" }.joined(separator: "\n")
    let prompt = """
      \(request.notice). On \(Self.place(of: request)):
      \(lines)
      Type '\(request.environment)' to continue: 
      """
    let answer: String?
    do {
      answer = try TerminalPrompt.ask(prompt)
    } catch {
      // Ctrl-C typed at the prompt, "cancelled" said: the session ends interrupted (130)
      // and shows nothing more.
      throw CancellationError()
    }
    guard answer == request.environment else {
      throw RunError(.consentNotConfirmed(environment: request.environment))
    }
  }

  /// The target, or a fleet's count of targets and of destructive steps in all (asked once).
  static func place(of request: ConsentRequest) -> String {
    guard let targets = request.fleetTargets else { return request.target }
    let destructive = request.steps.count * targets
    return
      "each of the \(targets) targets of fleet \(request.environment) (\(destructive) destructive step\(destructive == 1 ? "" : "s") in all)"
  }
}
