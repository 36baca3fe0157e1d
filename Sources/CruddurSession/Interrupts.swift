import Foundation
import Synchronization

/// Delivers the signals that end a run from outside (Ctrl-C, `kill`, a closed terminal or
/// SSH session, Ctrl-\\) to a handler, with how many arrived so far, instead of letting
/// their default action end the process (SIGHUP would leave the statement running on the
/// server; SIGQUIT would dump core and let the load commit).
///
/// The dispatch sources are made once per process and never cancelled: a signal's
/// disposition is process-wide, and cancelling one set of sources while making another
/// (planning, then running) could drop the handler and leave the signal ignored. Each
/// `Interrupts` value is a window during which the signals go to its handler. Opened only
/// through `SignalWindow` (and a `Session`, which opens one for its body).
final class Interrupts: Sendable {
  static let signals = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
  private let window: Window

  init(handler: @escaping @Sendable (Int) -> Void) {
    window = Window(handler: handler)
    SignalSources.shared.open(window)
  }

  /// How many signals arrived while this window was open.
  var received: Int { window.count.withLock { $0 } }

  func stop() { SignalSources.shared.close(window) }

  final class Window: Sendable {
    let handler: @Sendable (Int) -> Void
    let count = Mutex(0)
    init(handler: @escaping @Sendable (Int) -> Void) { self.handler = handler }
  }
}

/// The process's one set of signal sources, forwarding to the open window.
private final class SignalSources: @unchecked Sendable {
  // Invariant: `sources` is written once, in `init`, and only read afterwards; the open
  // window is behind its mutex.
  static let shared = SignalSources()
  private let queue = DispatchQueue(label: "cruddur.signals")
  private var sources: [any DispatchSourceSignal] = []
  private let current = Mutex<Interrupts.Window?>(nil)

  private init() {
    for signalNumber in Interrupts.signals {
      // Ignored at the process level so the default action never runs; the dispatch
      // source still sees it. Children reset it to the default when spawned.
      signal(signalNumber, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
      source.setEventHandler { [weak self] in self?.deliver(signalNumber) }
      source.resume()
      sources.append(source)
    }
  }

  private func deliver(_ signalNumber: Int32) {
    guard let window = current.withLock({ $0 }) else {
      // Between windows nothing runs that needs stopping: end as the signal's default
      // would (SIGQUIT as SIGINT, without a core dump).
      let ending = signalNumber == SIGQUIT ? SIGINT : signalNumber
      signal(ending, SIG_DFL)
      kill(getpid(), ending)
      return
    }
    let count = window.count.withLock { count in
      count += 1
      return count
    }
    window.handler(count)
  }

  func open(_ window: Interrupts.Window) { current.withLock { $0 = window } }

  func close(_ window: Interrupts.Window) {
    current.withLock { if $0 === window { $0 = nil } }
  }
}

/// The first of several racing results: the run's end or a forced exit, whichever comes
/// first; later ones are dropped.
public final class FirstOutcome<Value: Sendable>: Sendable {
  private enum State {
    case waiting([CheckedContinuation<Value?, Never>])
    case done(Value?)
  }
  private let state = Mutex<State>(.waiting([]))

  public init() {}

  public func finish(_ value: Value?) {
    let waiting: [CheckedContinuation<Value?, Never>] = state.withLock { state in
      guard case .waiting(let list) = state else { return [] }
      state = .done(value)
      return list
    }
    for continuation in waiting { continuation.resume(returning: value) }
  }

  public var value: Value? {
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
