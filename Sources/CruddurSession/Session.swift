import CruddurCore
import CruddurProcess
import Foundation
import Synchronization

/// A run as every command that runs steps must make it: consent first, then its body (one
/// plan on one database, `RunSession`; a plan on every target of a fleet) inside the
/// session's signal window, and one exit status as a value. Signals enter through one
/// place: the window (`ownsProcess`), whose first signal is `stop()` and whose second is
/// `forceStop()`.
///
/// Exit status precedence: the first row that holds decides.
///
///     | # | what happened                                               | status            |
///     |---|-------------------------------------------------------------|-------------------|
///     | 1 | stopped before or while consent was asked (no body starts)  | 130 interrupted   |
///     | 2 | consent refused, or not given without a terminal            | the refusal's (3) |
///     | 3 | stopped by force (second signal) while the body ran         | 130 interrupted   |
///     | 4 | otherwise, what the body says (`PlanRun`'s table for a run) | the body's        |
///
/// A session runs once.
public final class Session<Body: SessionBody>: Sendable {
  public typealias Outcome = SessionOutcome<Body.Report>

  public let body: Body
  public let consent: any ConsentSource
  /// What consent is asked for; nil when nothing needs it (no step, or not protected).
  public let consentRequest: ConsentRequest?
  /// Whether the session owns the process's signals (SIGINT, SIGTERM, SIGHUP, SIGQUIT open
  /// its window for the length of the body) and adopts orphans of its steps to end them on
  /// a stop. In-process tests say false and call `stop()` themselves.
  public let ownsProcess: Bool

  private struct State {
    var stops = 0
    var work: Task<Outcome, Never>?
  }
  private let state = Mutex(State())
  /// The body's end or a forced stop, whichever comes first.
  private let ending = FirstOutcome<Outcome>()

  public init(
    body: Body, consent: any ConsentSource, consentRequest: ConsentRequest?,
    ownsProcess: Bool = true
  ) {
    self.body = body
    self.consent = consent
    self.consentRequest = consentRequest
    self.ownsProcess = ownsProcess
  }

  /// Whether `stop()` or `forceStop()` was called.
  public var isStopped: Bool { state.withLock { $0.stops > 0 } }

  /// What the first signal does: a body not started yet never starts; a started one is
  /// cancelled (see `SessionBody.run`) and the session ends once it has returned.
  public func stop() {
    if ownsProcess { OrphanReaper.shared.markStop() }
    let work = state.withLock { state in
      state.stops += 1
      return state.work
    }
    work?.cancel()
  }

  /// What the second signal does: the body kills what it runs, escaped orphans are killed,
  /// and `run()` returns interrupted without waiting for anything more.
  public func forceStop() {
    state.withLock { $0.stops += 1 }
    body.forceStop()
    if ownsProcess {
      OrphanReaper.shared.markStop()
      _ = OrphanReaper.shared.endAdoptedSinceStop(gracePeriod: .zero, signal: SIGKILL)
    }
    ending.finish(nil)
  }

  /// Runs the body and says how it ended; never throws and never exits.
  public func run() async -> Outcome {
    if isStopped { return .interrupted }
    let asked = ContinuousClock.now
    if let consentRequest {
      do {
        try await consent.obtain(consentRequest)
      } catch {
        return isStopped ? .interrupted : .refused(by: error)
      }
    }
    let consentWait = ContinuousClock.now - asked
    var window: SignalWindow?
    if ownsProcess {
      // From here, a descendant that leaves its step's process group (`setsid`) and loses
      // its parent becomes ours, so a stop can end it too (OrphanReaper says which it ends).
      _ = OrphanReaper.shared.enable()
      // The window opens before the body, so a signal while a guard is taken (the run lock
      // under `--wait`) stops the wait instead of killing the process with the lock open.
      window = SignalWindow.open { [self] count in count == 1 ? stop() : forceStop() }
    }
    let body = body
    // Made under the lock: a stop that came first (at the prompt, or as the window opened)
    // starts no body; one that comes later (a signal, or the body itself) finds the task to
    // cancel, so the body sees it from its first check on.
    let started: Task<Outcome, Never>? = state.withLock { state in
      guard state.stops == 0 else { return nil }
      let work = Task { await body.run(consentWait: consentWait) }
      state.work = work
      return work
    }
    guard let work = started else {
      window?.close()
      return .interrupted
    }
    Task { ending.finish(await work.value) }
    let finished = await ending.value
    window?.close()
    if ownsProcess, finished != nil, isStopped {
      // The steps have stopped, their groups are gone: what escaped them is ended now,
      // TERM then KILL after the grace, before cruddur exits and init adopts it. (A run
      // that was not stopped reads no process table: init reaps what it leaves.)
      let grace = StopGrace.current
      _ = try? await Blocking.run { OrphanReaper.shared.endAdoptedSinceStop(gracePeriod: grace) }
    }
    return finished ?? .interrupted
  }
}
