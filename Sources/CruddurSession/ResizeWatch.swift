import Foundation
import Synchronization

/// Calls a handler when the terminal is resized (SIGWINCH), for the length of a run on a
/// terminal: the progress line is then drawn again at the new width at once, instead of
/// staying reflowed over several rows until the next progress, up to a second later.
///
/// One dispatch source per process, made on first use and never cancelled (as `Interrupts`
/// does): SIGWINCH's default action is to ignore it, and the source is what sees it. A run
/// sets the handler; `stop()` clears it.
public struct ResizeWatch: Sendable {
  public init(_ handler: @escaping @Sendable () -> Void) {
    ResizeSource.shared.handler.withLock { $0 = handler }
  }

  public func stop() { ResizeSource.shared.handler.withLock { $0 = nil } }
}

/// The process's one SIGWINCH source, forwarding to the run's handler.
private final class ResizeSource: @unchecked Sendable {
  // Invariant: `source` is written once, in `init`, and never read again; the handler is
  // behind its mutex.
  static let shared = ResizeSource()
  let handler = Mutex<(@Sendable () -> Void)?>(nil)
  private let source: any DispatchSourceSignal

  private init() {
    source = DispatchSource.makeSignalSource(
      signal: SIGWINCH, queue: DispatchQueue(label: "cruddur.resize"))
    source.setEventHandler { [weak self] in self?.handler.withLock { $0 }?() }
    source.resume()
  }
}
