import CruddurCore
import CruddurSession
import Synchronization

/// A session body shaped as a fleet's run is: the same plan on every target at once, each
/// target with a real `Runner` of its own (its own resources, as `FleetRunner` gives each),
/// and one status for all: 130 when any target was interrupted, 1 when any failed (whatever
/// the step's own status), else 0. Logs `body started` and `force stop`.
struct FleetLikeBody: SessionBody {
  let executable: ExecutablePlan
  let targets: [String]
  let sink: RecordingSink
  let log: SessionLog

  func run(consentWait: Duration) async -> SessionOutcome<[String: RunSummary]> {
    log.append("body started")
    var summaries: [String: RunSummary] = [:]
    await withTaskGroup(of: (String, RunSummary).self) { group in
      for target in targets {
        group.addTask { [executable, sink] in
          (target, await Runner(events: sink, projectRoot: "/").run(executable).0)
        }
      }
      for await (target, summary) in group { summaries[target] = summary }
    }
    let all = summaries.values
    let status: ExitStatus =
      all.contains(where: \.isInterrupted)
      ? .interrupted : all.allSatisfy(\.succeeded) ? .ok : .stepFailed
    return SessionOutcome(status: status, report: summaries)
  }

  func forceStop() { log.append("force stop") }
}

extension SessionFixture {
  /// A session running this plan on three targets, consent given or refused as told, that
  /// owns no signal (the test calls `stop()` itself).
  func fleetSession(consent: any ConsentSource) -> Session<FleetLikeBody> {
    var request = ConsentRequest(executable)
    request?.fleetTargets = 3
    return Session(
      body: FleetLikeBody(executable: executable, targets: ["a", "b", "c"], sink: sink, log: log),
      consent: consent, consentRequest: request, ownsProcess: false)
  }

  func fleetSession(consentGiven: Bool = true) -> Session<FleetLikeBody> {
    fleetSession(consent: FakeConsent(gives: consentGiven, log: log))
  }
}

/// Consent that stops the session while it is asked (a signal at the prompt), then gives it.
struct StoppingConsent: ConsentSource {
  let relay: FleetStopRelay
  let log: SessionLog

  func obtain(_ request: ConsentRequest) async throws {
    log.append("consent \(request.environment) for \(request.fleetTargets ?? 1) targets")
    relay.stop()
  }
}

/// Lets consent made before the session call the session's `stop()`.
final class FleetStopRelay: Sendable {
  private let session = Mutex<Session<FleetLikeBody>?>(nil)
  func set(_ session: Session<FleetLikeBody>) { self.session.withLock { $0 = session } }
  func stop() { session.withLock { $0 }?.stop() }
}
