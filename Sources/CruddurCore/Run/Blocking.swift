import Foundation

/// Runs blocking work (a libpq call, waitpid, a read) on a GCD thread instead of the
/// cooperative pool, which has one thread per core: two blocked there stop every task.
public enum Blocking {
  public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
    }
  }
}
