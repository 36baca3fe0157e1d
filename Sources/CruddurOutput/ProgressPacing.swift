import Synchronization

/// When each step's progress was last shown, so a renderer shows it at its own pace (a log
/// line every 10 s, a JSON event every second) whatever pace the events come at.
final class ProgressPacing: Sendable {
  private let shown = Mutex<[Int: Duration]>([:])
  let first: Duration
  let every: Duration

  /// Due once the step has run `first`, then again each `every` after the last one shown.
  init(first: Duration, every: Duration) {
    self.first = first
    self.every = every
  }

  func isDue(step: Int, at elapsed: Duration) -> Bool {
    shown.withLock { shown in
      guard elapsed >= first else { return false }
      if let last = shown[step], elapsed - last < every { return false }
      shown[step] = elapsed
      return true
    }
  }
}
