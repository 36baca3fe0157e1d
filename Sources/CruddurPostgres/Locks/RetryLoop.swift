import CruddurCore
import Foundation

/// Runs a step's one-transaction work again after a lock timeout (55P03) or a deadlock
/// (40P01): its transaction was rolled back whole, so running it again is safe and is what
/// an operator would do. Each pause is jittered so two blocked runs do not retry in step.
struct RetryLoop: Sendable {
  var policy: LockTimeoutPolicy
  var step: PlannedStep
  var events: any EventSink
  /// The first pause; each next one doubles, up to `maximumDelay`.
  var baseDelay: Duration = .milliseconds(200)
  var maximumDelay: Duration = .seconds(5)

  /// Whether `error` is one a whole-transaction retry can cure.
  static func reason(for error: any Error) -> String? {
    guard let error = error as? ServerError, let state = error.sqlState else { return nil }
    switch state {
    case .lockNotAvailable: return "lock timeout (SQLSTATE 55P03)"
    case .deadlockDetected: return "deadlock (SQLSTATE 40P01)"
    default: return nil
    }
  }

  /// The pause before attempt `attempt` (2 for the first retry): half of the doubled base
  /// plus a random part of the other half.
  func delay(before attempt: Int) -> Duration {
    let doubled = baseDelay * (1 << min(attempt - 2, 16))
    let capped = min(doubled, maximumDelay)
    return capped / 2 + capped / 2 * Double.random(in: 0...1)
  }

  /// Runs `body` (given the attempt number, from 1) until it succeeds, fails otherwise, or
  /// the retries are used up; then the last error, with `blockers()` named in it.
  func run<T: Sendable>(
    blockers: @Sendable () -> [LockBlocker], _ body: (Int) async throws -> T
  ) async throws -> T {
    var attempt = 1
    while true {
      do {
        return try await body(attempt)
      } catch {
        guard let reason = Self.reason(for: error) else { throw error }
        guard attempt <= policy.retries else {
          throw LockWaitError(
            underlying: error as! ServerError, attempts: attempt, blockers: blockers(),
            lockTimeout: policy.lockTimeout)
        }
        attempt += 1
        let pause = delay(before: attempt)
        events.emit(
          .stepRetrying(step: step, attempt: attempt, attempts: policy.retries + 1, delay: pause, reason: reason))
        try await Task.sleep(for: pause)
      }
    }
  }
}

/// A step gave up on a lock: the server's error, with how often it was tried and who held
/// the lock when last seen.
struct LockWaitError: CruddurError {
  var underlying: ServerError
  var attempts: Int
  var blockers: [LockBlocker]
  var lockTimeout: Double?

  var exitStatus: ExitStatus { underlying.exitStatus }

  var diagnostics: [Diagnostic] {
    var list = underlying.diagnostics
    var notes: [Diagnostic.Note] = []
    let tries = attempts == 1 ? "tried once" : "tried \(attempts) times"
    let timeout = lockTimeout.map { ", lock_timeout \(LockTimeoutPolicy.shown($0))" } ?? ""
    notes.append(.init("\(tries)\(timeout); every attempt's transaction was rolled back"))
    if blockers.isEmpty {
      notes.append(.init("no blocking session was seen (the wait ended before it could be read)"))
    }
    for blocker in blockers { notes.append(.init("blocked by \(Redaction.redact(blocker.summary))")) }
    if list.isEmpty { list = [.error(underlying.message)] }
    list[0].notes += notes
    return list
  }
}
