import Foundation
import Synchronization

/// Delivers the signals that end a run from outside (Ctrl-C, `kill`, a closed terminal or
/// SSH session, Ctrl-\) to a handler, with how many arrived so far, instead of letting
/// their default action end the process (SIGHUP would leave the statement running on the
/// server; SIGQUIT would dump core and let the load commit).
final class Interrupts: @unchecked Sendable {
  // Invariant: `count` is only touched on `queue`, the sources' serial queue.
  static let signals = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
  private let queue = DispatchQueue(label: "cruddur.signals")
  private var sources: [any DispatchSourceSignal] = []
  private var count = 0

  init(signals: [Int32] = Interrupts.signals, handler: @escaping @Sendable (Int) -> Void) {
    for signalNumber in signals {
      // Ignored at the process level so the default action never runs; the dispatch
      // source still sees it. Children reset it to the default when spawned.
      signal(signalNumber, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
      source.setEventHandler { [unowned self] in
        count += 1
        handler(count)
      }
      source.resume()
      sources.append(source)
    }
  }

  /// How many signals arrived so far.
  var received: Int { queue.sync { count } }

  func stop() {
    queue.sync { sources.forEach { $0.cancel() } }
  }
}

/// The first of several racing results: the run's end or a forced exit, whichever comes
/// first; later ones are dropped.
final class FirstOutcome<Value: Sendable>: Sendable {
  private enum State {
    case waiting([CheckedContinuation<Value?, Never>])
    case done(Value?)
  }
  private let state = Mutex<State>(.waiting([]))

  func finish(_ value: Value?) {
    let waiting: [CheckedContinuation<Value?, Never>] = state.withLock { state in
      guard case .waiting(let list) = state else { return [] }
      state = .done(value)
      return list
    }
    for continuation in waiting { continuation.resume(returning: value) }
  }

  var value: Value? {
    get async {
      await withCheckedContinuation { continuation in
        let ready: Value?? = state.withLock { state in
          switch state {
          case .done(let value): return .some(value)
          case .waiting(let list):
            state = .waiting(list + [continuation])
            return .none
          }
        }
        if case .some(let value) = ready { continuation.resume(returning: value) }
      }
    }
  }
}
