import CruddurCore

/// The one way a command's work takes the signals that end a run from outside (SIGINT,
/// SIGTERM, SIGHUP, SIGQUIT): a session's body, planning's plugin `describe`s and `sh:`
/// values, the embedded server's start. While the window is open a signal goes to its
/// handler (with how many arrived so far) instead of ending the process; closing it says
/// whether the work was interrupted, as a status for the command to end with.
public struct SignalWindow: Sendable {
  private let interrupts: Interrupts

  private init(_ interrupts: Interrupts) { self.interrupts = interrupts }

  /// Opens the window: from now until `close()`, signals go to `onSignal`.
  public static func open(_ onSignal: @escaping @Sendable (_ count: Int) -> Void) -> SignalWindow {
    SignalWindow(Interrupts(handler: onSignal))
  }

  /// Whether a signal arrived while the window was open.
  public var wasSignalled: Bool { interrupts.received > 0 }

  /// Closes the window (a signal now takes its default action again, see `Interrupts`);
  /// interrupted (130) when a signal arrived while it was open, nil otherwise. Closing
  /// twice is harmless.
  @discardableResult
  public func close() -> ExitStatus? {
    interrupts.stop()
    return wasSignalled ? .interrupted : nil
  }
}
