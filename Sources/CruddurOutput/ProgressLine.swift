import Synchronization

/// Whether a progress line is on the terminal now, unfinished (no newline): the next
/// output must erase it first.
final class ProgressLine: Sendable {
  private let isShown = Mutex(false)

  func drawn() { isShown.withLock { $0 = true } }

  /// True when a line was shown, which the caller erases; it counts as gone from here.
  func erase() -> Bool {
    isShown.withLock { shown in
      defer { shown = false }
      return shown
    }
  }
}
