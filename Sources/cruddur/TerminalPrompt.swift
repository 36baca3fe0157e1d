import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A question asked on the terminal (`/dev/tty`), whatever stdin and stdout are. Ctrl-C
/// while it waits ends the command as interrupted (130), on a line of its own saying so,
/// instead of the shell prompt landing after the question.
enum TerminalPrompt {
  /// Whether there is a terminal to ask on.
  static var isAvailable: Bool { isatty(0) == 1 && access("/dev/tty", R_OK | W_OK) == 0 }

  /// The answer; nil at end of input or when there is no terminal (see `isAvailable`).
  static func ask(_ question: String) -> String? {
    guard isatty(0) == 1, let terminal = FileHandle(forUpdatingAtPath: "/dev/tty") else { return nil }
    let previous = signal(SIGINT) { _ in TerminalPrompt.cancel() }
    defer { signal(SIGINT, previous) }
    terminal.write(Data(question.utf8))
    let line = readLine(from: terminal)
    // Ctrl-C followed by Enter can return the (empty) line before the signal reaches a
    // thread: still pending then, it would meet the default action once the handler is
    // gone. Counted as the Ctrl-C it was.
    var pending = sigset_t()
    sigemptyset(&pending)
    if sigpending(&pending) == 0, sigismember(&pending, SIGINT) == 1 { cancel() }
    // The handler may be running on another thread, having said "cancelled" but not yet
    // exited, when end of input returns the read here: nothing more is printed then.
    if isCancelling.load(ordering: .sequentiallyConsistent) { cancel() }
    return line
  }

  /// Set by whichever of the two ways a Ctrl-C is seen (the handler, the pending check)
  /// comes first, before anything is written: both can see it under load, and
  /// "cancelled" is said once, with nothing after it.
  private static let isCancelling = Atomic(false)

  /// Says "cancelled" and ends with 130. Only async-signal-safe calls (an atomic
  /// exchange, write(2), _exit(2), pause(2)): it also runs as the signal handler.
  private static func cancel() -> Never {
    if !isCancelling.exchange(true, ordering: .sequentiallyConsistent) {
      let message: StaticString = "\ncancelled\n"
      _ = message.withUTF8Buffer { write(2, $0.baseAddress, $0.count) }
      _exit(130)
    }
    // The other one is saying it and exiting: wait for that rather than cut it short.
    while true { pause() }
  }

  /// Reads one line, byte by byte, so nothing past it is consumed; nil at end of input.
  private static func readLine(from handle: FileHandle) -> String? {
    var bytes: [UInt8] = []
    while true {
      let chunk = handle.readData(ofLength: 1)
      guard let byte = chunk.first else { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
      if byte == UInt8(ascii: "\n") { break }
      if byte != UInt8(ascii: "\r") { bytes.append(byte) }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
