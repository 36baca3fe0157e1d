#if canImport(Glibc)
  import Glibc
#endif

/// A terminal's size as the kernel knows it (TIOCGWINSZ), asked afresh each time: after a
/// resize (SIGWINCH) the next answer is the new size, with no handler to install.
public enum TerminalSize {
  /// Columns of the terminal on `fileDescriptor`; nil when it is not a terminal or says 0.
  public static func columns(of fileDescriptor: Int32) -> Int? {
    var size = winsize()
    guard ioctl(fileDescriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
    return Int(size.ws_col)
  }
}
