import Synchronization

/// With `-q`, a step's own output is held back: dropped when the step succeeds, printed
/// when it fails, since that is when it explains what went wrong.
final class QuietOutputBuffer: Sendable {
  private let lines = Mutex<[Int: [String]]>([:])

  func hold(_ line: String, step: Int) {
    lines.withLock { $0[step, default: []].append(line) }
  }

  /// The lines held for `step`, which are forgotten.
  func release(_ step: Int) -> [String] {
    lines.withLock { $0.removeValue(forKey: step) ?? [] }
  }
}
