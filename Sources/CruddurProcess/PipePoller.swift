import CruddurCore

#if canImport(Glibc)
  import Glibc
#endif

/// Moves bytes between us and one child on a single thread: reads its output pipes and
/// writes its stdin, with poll(2), until every output reaches end of file. One thread per
/// child rather than one per pipe.
struct PipePoller {
  private var outputs: [Int32]
  private var stdin: StdinPipe?
  private var written = 0

  /// Takes over `outputs` (our read ends) and `stdin`, and closes them all when `run` ends.
  init(outputs: [Int32], stdin: StdinPipe?) {
    self.outputs = outputs
    self.stdin = stdin
  }

  /// How a `run` ended.
  enum Outcome: Equatable {
    /// Every output reached end of file; everything is closed.
    case ended
    /// The deadline passed first; everything is closed.
    case deadlinePassed
    /// `leaderExit` became readable (the child exited) and what its outputs held then has
    /// been read; the outputs stay open for another `run`.
    case leaderExited
  }

  /// Calls `onBytes` with output `index`'s bytes as they arrive and `onEnd` at its end of
  /// file, until every output ends, `deadline` passes, or `leaderExit` (a pidfd) is
  /// readable: the child's exit, not the end of its pipes, is when its command is done,
  /// since a background descendant may hold the pipes open for ever.
  ///
  /// Input the child has not taken when its outputs end is dropped. Our copy of the stdin
  /// read end stays open until then, so a write never meets a pipe without a reader: that
  /// raises SIGPIPE, which cruddur does not ignore.
  mutating func run(
    until deadline: ContinuousClock.Instant? = nil, leaderExit: Int32 = -1, onBytes: (Int, ArraySlice<UInt8>) -> Void,
    onEnd: (Int) -> Void
  ) -> Outcome {
    var buffer = [UInt8](repeating: 0, count: 65536)
    var leaderGone = false
    // What the child wrote before it exited is at most a pipe's capacity per output (it
    // would have blocked); a few rounds read it, and a descendant writing without end
    // cannot keep the drain going.
    var drainRounds = 0
    while outputs.contains(where: { $0 >= 0 }) {
      if leaderGone {
        drainRounds += 1
        if drainRounds > 16 { return .leaderExited }
      }
      // Once the child is gone, only what is already in the pipes is read.
      guard let entries = waitForReady(until: deadline, leaderExit: leaderGone ? -1 : leaderExit, drainOnly: leaderGone)
      else {
        if leaderGone { return .leaderExited }
        closeAll()
        return .deadlinePassed
      }
      for entry in entries where entry.revents != 0 {
        if entry.fd == leaderExit, !leaderGone {
          leaderGone = true
          continue
        }
        guard let index = outputs.firstIndex(of: entry.fd) else {
          writeInput()
          continue
        }
        let n = read(entry.fd, &buffer, buffer.count)
        if n > 0 {
          onBytes(index, buffer[0..<n])
        } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
          close(entry.fd)
          outputs[index] = -1
          onEnd(index)
        }
      }
    }
    closeAll()
    return .ended
  }

  /// Ends what `run` left open after `.leaderExited`.
  mutating func closeRemaining() { closeAll() }

  /// The descriptors with their readiness, or nil once the deadline passed (or, when
  /// `drainOnly`, once nothing is ready at once).
  private func waitForReady(
    until deadline: ContinuousClock.Instant?, leaderExit: Int32 = -1, drainOnly: Bool = false
  ) -> [pollfd]? {
    var entries = outputs.filter { $0 >= 0 }.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
    if let stdin, stdin.writeEnd >= 0, !drainOnly {
      entries.append(pollfd(fd: stdin.writeEnd, events: Int16(POLLOUT), revents: 0))
    }
    if leaderExit >= 0 { entries.append(pollfd(fd: leaderExit, events: Int16(POLLIN), revents: 0)) }
    while true {
      var timeout: Int32 = -1
      if drainOnly {
        timeout = 0
      } else if let deadline {
        let left = deadline - .now
        guard left > .zero else { return nil }
        // Rounded up so a wake-up at 0 ms left cannot spin; capped to fit an Int32 (a
        // longer wait just comes round again).
        timeout = Int32(min(left.seconds * 1000, 3_600_000).rounded(.up))
      }
      let ready = poll(&entries, nfds_t(entries.count), timeout)
      if ready > 0 { return entries }
      if ready == 0, drainOnly { return nil }
      // poll fails only on bad arguments or no memory: reading anyway blocks at worst,
      // where spinning here would never end.
      if ready < 0, errno != EINTR, errno != EAGAIN {
        return entries.map { pollfd(fd: $0.fd, events: $0.events, revents: $0.events) }
      }
    }
  }

  private mutating func writeInput() {
    guard let pipe = stdin, pipe.writeEnd >= 0 else { return }
    var failed = false
    if written < pipe.bytes.count {
      let n = pipe.bytes.withUnsafeBytes { write(pipe.writeEnd, $0.baseAddress! + written, $0.count - written) }
      if n > 0 { written += n } else if n < 0, errno != EINTR, errno != EAGAIN { failed = true }
    }
    guard written == pipe.bytes.count || failed else { return }
    // Closing our end is the child's end of file.
    close(pipe.writeEnd)
    stdin?.writeEnd = -1
    stdin?.bytes = []
  }

  private mutating func closeAll() {
    for fd in outputs where fd >= 0 { close(fd) }
    outputs = outputs.map { _ in -1 }
    if let stdin {
      close(stdin.readEnd)
      if stdin.writeEnd >= 0 { close(stdin.writeEnd) }
    }
    stdin = nil
  }
}
