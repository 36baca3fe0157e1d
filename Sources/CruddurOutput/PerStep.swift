import Synchronization

/// A value per running step, by step number: renderers keep one for each result they are
/// printing (table widths, JSON keys), and steps may run in parallel.
final class PerStep<Value: Sendable>: Sendable {
  private let values = Mutex<[Int: Value]>([:])

  func set(_ step: Int, _ value: Value) {
    values.withLock { $0[step] = value }
  }

  /// Runs `body` on the step's value and keeps what it changed; nil when the step has none.
  func with<T>(_ step: Int, _ body: (inout Value) -> T) -> T? {
    values.withLock { values in
      guard var value = values[step] else { return nil }
      let result = body(&value)
      values[step] = value
      return result
    }
  }

  func remove(_ step: Int) -> Value? {
    values.withLock { $0.removeValue(forKey: step) }
  }
}
