import CruddurCore
import CruddurSession

/// A guard that logs `acquire NAME` and `release NAME`, and refuses, waits or stops the
/// session as told.
struct FakeGuard: RunGuard {
  enum Behaviour: Sendable {
    case take
    case refuse(ExitStatus)
    /// Waits until cancelled, as the run lock does under `--wait`; logs `waiting NAME`.
    case waitUntilCancelled
    /// Is taken, and calls the given stop on the way (a signal right after the lock).
    case takeThenStop(@Sendable () -> Void)
  }
  var name: String
  var behaviour: Behaviour = .take
  let log: SessionLog

  func acquire(for executable: ExecutablePlan, in context: RunGuardContext) async throws
    -> RunGuardHold
  {
    log.append("acquire \(name)")
    switch behaviour {
    case .take: break
    case .refuse(let status): throw TestError(status: status, message: "\(name) refused")
    case .waitUntilCancelled:
      log.append("waiting \(name)")
      try await Task.sleep(for: .seconds(86_400))
    case .takeThenStop(let stop): stop()
    }
    let (log, name) = (log, name)
    return RunGuardHold { log.append("release \(name)") }
  }
}

/// Consent that logs `consent ENVIRONMENT` and gives or refuses it as told.
struct FakeConsent: ConsentSource {
  var gives: Bool
  let log: SessionLog

  func obtain(_ request: ConsentRequest) async throws {
    log.append("consent \(request.environment)")
    guard gives else { throw RunError(.consentNotConfirmed(environment: request.environment)) }
  }
}
