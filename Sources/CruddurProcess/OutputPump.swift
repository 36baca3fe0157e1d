import CruddurCore

/// A child's output as lines: its pipes read by a `PipePoller`, each line handed on with
/// its stream. Used by the one thread that supervises the child.
final class OutputPump: @unchecked Sendable {
  // Invariant: `run` and `finish` are called from the supervising thread only, one after
  // the other; nothing else touches the poller or the buffers.
  private var poller: PipePoller
  private var lines = [LineBuffer(), LineBuffer()]
  private let onLine: @Sendable (String, ChildProcess.Stream) -> Void
  private static let streams: [ChildProcess.Stream] = [.stdout, .stderr]

  init(poller: PipePoller, onLine: @escaping @Sendable (String, ChildProcess.Stream) -> Void) {
    self.poller = poller
    self.onLine = onLine
  }

  /// Reads until the outputs end, or until `leaderExit` (a pidfd, -1 for none) says the
  /// child is gone and what it wrote has been read.
  func run(leaderExit: Int32) -> PipePoller.Outcome {
    poller.run(leaderExit: leaderExit, onBytes: append, onEnd: end)
  }

  /// After the child is gone: reads what is left until the outputs end or `deadline`
  /// (a descendant that escaped the group may hold them open), then closes them and
  /// hands on a last line without its newline.
  func finish(until deadline: ContinuousClock.Instant) {
    if poller.run(until: deadline, onBytes: append, onEnd: end) != .ended {
      poller.closeRemaining()
      for index in lines.indices { end(index) }
    }
  }

  private func append(_ index: Int, _ bytes: ArraySlice<UInt8>) {
    lines[index].append(bytes) { onLine($0, Self.streams[index]) }
  }

  private func end(_ index: Int) {
    lines[index].finish { onLine($0, Self.streams[index]) }
  }
}
