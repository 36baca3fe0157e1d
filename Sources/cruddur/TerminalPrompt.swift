import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A question asked on the terminal (`/dev/tty`), whatever stdin and stdout are. Ctrl-C
/// while it waits ends the command as interrupted (130), on a line of its own saying so,
/// instead of the shell prompt landing after the question: typed, `ask` throws
/// `CommandInterrupted` back to main; sent by `kill`, the SIGINT handler exits itself (a
/// handler cannot return to main), the one exit outside main.
enum TerminalPrompt {
  /// Whether there is a terminal to ask on.
  static var isAvailable: Bool { isatty(0) == 1 && access("/dev/tty", R_OK | W_OK) == 0 }

  /// The answer; nil at end of input or when there is no terminal (see `isAvailable`).
  /// Throws once "cancelled" is said, for Ctrl-C typed at the prompt.
  ///
  /// Ctrl-C typed here is read as a byte, not taken as a signal: the terminal is set so
  /// that it ends the line (VEOL) instead of interrupting (VINTR). As a signal it raced
  /// the Enter typed after it (the empty line could be read, and refused as no consent,
  /// before the handler ran on another thread). A SIGINT sent by `kill` still cancels
  /// through the handler, and every way out puts the terminal's settings back.
  static func ask(_ question: String) throws(CommandInterrupted) -> String? {
    guard isatty(0) == 1, let terminal = FileHandle(forUpdatingAtPath: "/dev/tty") else { return nil }
    let fd = terminal.fileDescriptor
    let previous = signal(SIGINT) { _ in TerminalPrompt.interruptedBySignal() }
    let previousTerm = signal(SIGTERM) { TerminalPrompt.restoreAndRaise($0) }
    let previousHangup = signal(SIGHUP) { TerminalPrompt.restoreAndRaise($0) }
    takeControlCharacter(fd)
    defer {
      restoreTerminal()
      signal(SIGINT, previous)
      signal(SIGTERM, previousTerm)
      signal(SIGHUP, previousHangup)
    }
    terminal.write(Data(question.utf8))
    let line = try readLine(from: terminal)
    // The handler is saying it and exiting: wait for that rather than cut it short.
    if line == nil && isCancelling.load(ordering: .sequentiallyConsistent) { waitForExit() }
    return line
  }

  /// The terminal's settings before the prompt changed them, for every way out.
  nonisolated(unsafe) private static var saved: (fd: Int32, settings: termios)?

  /// Ctrl-C (whatever key VINTR is) ends the line instead of sending SIGINT.
  private static func takeControlCharacter(_ fd: Int32) {
    var settings = termios()
    guard tcgetattr(fd, &settings) == 0 else { return }
    var changed = settings
    let interrupt = withUnsafeBytes(of: settings.c_cc) { $0[Int(VINTR)] }
    guard interrupt != 0 else { return }  // no interrupt key: nothing to read as one
    interruptKey = interrupt
    withUnsafeMutableBytes(of: &changed.c_cc) { characters in
      characters[Int(VINTR)] = 0  // _POSIX_VDISABLE on Linux
      characters[Int(VEOL)] = interrupt
    }
    saved = (fd, settings)
    if tcsetattr(fd, TCSANOW, &changed) != 0 { saved = nil }
  }

  /// The key that interrupted before the prompt took it; read as cancel.
  nonisolated(unsafe) private static var interruptKey: UInt8 = 0x03

  /// Puts the terminal back. Async-signal-safe (tcsetattr): also runs from handlers.
  private static func restoreTerminal() {
    guard let saved else { return }
    var settings = saved.settings
    _ = tcsetattr(saved.fd, TCSANOW, &settings)
  }

  /// SIGTERM or SIGHUP at the prompt: the terminal as it was, then the signal's own end.
  private static func restoreAndRaise(_ signalNumber: Int32) {
    restoreTerminal()
    signal(signalNumber, SIG_DFL)
    raise(signalNumber)
  }

  /// Set by whichever of the two ways a Ctrl-C is seen (the handler, the byte read)
  /// comes first, before anything is written: "cancelled" is said once, with nothing
  /// after it.
  private static let isCancelling = Atomic(false)

  /// Set by the key's way, before it tries `isCancelling`: a handler that finds the key
  /// saying "cancelled" returns, and lets that way go back to main.
  private static let isCancellingByKey = Atomic(false)

  /// Takes the saying of "cancelled", once whichever way came first, and says it: the
  /// terminal put back, what was typed after Ctrl-C dropped (as the terminal does for an
  /// interrupt, so it does not reach the shell as a command), the word on its own line.
  /// False when the other way took it. Only async-signal-safe calls (an atomic exchange,
  /// tcsetattr, tcflush, write(2)): it also runs in the signal handler.
  private static func sayCancelled() -> Bool {
    guard !isCancelling.exchange(true, ordering: .sequentiallyConsistent) else { return false }
    restoreTerminal()
    if let (fd, _) = saved { _ = tcflush(fd, TCIFLUSH) }
    let message: StaticString = "\ncancelled\n"
    _ = message.withUTF8Buffer { write(2, $0.baseAddress, $0.count) }
    return true
  }

  /// SIGINT at the prompt (sent by `kill`; the key is read as a byte): says "cancelled"
  /// and ends with 130 from the handler, which cannot return to main. Async-signal-safe
  /// (`sayCancelled`, an atomic load, _exit(2), pause(2)). When the key said it first,
  /// the handler returns and the key's way goes on to main.
  private static func interruptedBySignal() {
    if sayCancelled() { _exit(130) }
    if isCancellingByKey.load(ordering: .sequentiallyConsistent) { return }
    waitForExit()
  }

  /// Ctrl-C read as a key: says "cancelled" and throws it back to main (130); or, when the
  /// handler said it first, waits for its exit.
  private static func cancelledByKey() throws(CommandInterrupted) -> Never {
    isCancellingByKey.store(true, ordering: .sequentiallyConsistent)
    guard sayCancelled() else { waitForExit() }
    throw CommandInterrupted()
  }

  /// The handler is saying "cancelled" and exiting: wait for that rather than cut it short.
  private static func waitForExit() -> Never {
    while true { pause() }
  }

  /// Reads one line, byte by byte, so nothing past it is consumed; nil at end of input.
  private static func readLine(from handle: FileHandle) throws(CommandInterrupted) -> String? {
    var bytes: [UInt8] = []
    while true {
      let chunk = handle.readData(ofLength: 1)
      guard let byte = chunk.first else { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
      if byte == interruptKey && saved != nil { try cancelledByKey() }
      if byte == UInt8(ascii: "\n") { break }
      if byte != UInt8(ascii: "\r") { bytes.append(byte) }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
