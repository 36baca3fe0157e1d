import Foundation

/// A value per running step, by step number: renderers keep one for each result they are
/// printing (table widths, JSON keys), and steps may run in parallel.
final class PerStep<Value: Sendable>: @unchecked Sendable {
  // Invariant: `values` is only touched while holding `lock`.
  private let lock = NSLock()
  private var values: [Int: Value] = [:]

  func set(_ step: Int, _ value: Value) {
    lock.withLock { values[step] = value }
  }

  /// Runs `body` on the step's value and keeps what it changed; nil when the step has none.
  func with<T>(_ step: Int, _ body: (inout Value) -> T) -> T? {
    lock.withLock {
      guard var value = values[step] else { return nil }
      let result = body(&value)
      values[step] = value
      return result
    }
  }

  func remove(_ step: Int) -> Value? {
    lock.withLock { values.removeValue(forKey: step) }
  }
}
