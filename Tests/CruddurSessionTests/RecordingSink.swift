import CruddurCore
import Synchronization

/// The test event sink: keeps every event the runner emits, and logs `failed TASK` when a
/// step fails, so a test can wait until the runner has seen the failure.
final class RecordingSink: EventSink {
  private let events = Mutex<[Event]>([])
  let log: SessionLog

  init(log: SessionLog) { self.log = log }

  func emit(_ event: Event) {
    events.withLock { $0.append(event) }
    if case .stepFailed(let step, _, _, _) = event { log.append("failed \(step.task)") }
  }

  var runStarted: Bool {
    events.withLock { $0.contains { if case .runStarted = $0 { true } else { false } } }
  }
}
