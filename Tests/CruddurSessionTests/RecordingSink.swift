import CruddurCore
import Synchronization

/// The test event sink: keeps every event the runner emits.
final class RecordingSink: EventSink {
  private let events = Mutex<[Event]>([])

  func emit(_ event: Event) { events.withLock { $0.append(event) } }

  var runStarted: Bool {
    events.withLock { $0.contains { if case .runStarted = $0 { true } else { false } } }
  }
}
