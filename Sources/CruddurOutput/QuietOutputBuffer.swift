import Foundation

/// With `-q`, a step's own output is held back: dropped when the step succeeds, printed
/// when it fails, since that is when it explains what went wrong.
final class QuietOutputBuffer: @unchecked Sendable {
  // Invariant: `lines` is only touched while holding `lock`.
  private let lock = NSLock()
  private var lines: [Int: [String]] = [:]

  func hold(_ line: String, step: Int) {
    lock.withLock { lines[step, default: []].append(line) }
  }

  /// The lines held for `step`, which are forgotten.
  func release(_ step: Int) -> [String] {
    lock.withLock { lines.removeValue(forKey: step) ?? [] }
  }
}
