/// `timeout:` for every step kind, in one place: at the deadline the step's task is
/// cancelled, which is what stops it (a cancel request to the server and a rollback for
/// libpq steps, the process group signalled for commands), and the step fails only once
/// it has stopped, so nothing of it still runs when the next one starts.
enum StepDeadline {
  static func run<T: Sendable>(
    seconds: Double?, _ body: @escaping @Sendable () async throws -> T
  ) async throws -> T {
    guard let seconds else { return try await body() }
    return try await withThrowingTaskGroup(of: Finish<T>.self) { group in
      group.addTask { .body(try await body()) }
      group.addTask {
        try await Task.sleep(for: .seconds(seconds))
        return .deadline
      }
      // The body's error, if it fails first, ends the group and cancels the timer.
      let first = try await group.next()!
      group.cancelAll()
      if case .body(let value) = first { return value }
      // The timer won: wait for the cancelled body to finish stopping; its own error
      // (a cancelled statement, a killed command) is the timeout's consequence.
      while true {
        do {
          guard try await group.next() != nil else { break }
        } catch {
          continue
        }
      }
      throw StepTimeoutError(seconds: seconds)
    }
  }

  private enum Finish<T: Sendable>: Sendable {
    case body(T)
    case deadline
  }
}

/// A step ran past its `timeout:` and was stopped.
public struct StepTimeoutError: CruddurError {
  public var seconds: Double
  public init(seconds: Double) { self.seconds = seconds }
  public var exitStatus: ExitStatus { .stepFailed }
  public var diagnostics: [Diagnostic] {
    let shown = SecondsText.shown(seconds)
    return [.error("timed out after \(shown) s; the step was stopped and its transaction, if any, rolled back")]
  }
}
