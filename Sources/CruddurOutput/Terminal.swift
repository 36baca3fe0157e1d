import CruddurCore
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Whether output may use colour: a terminal, no `NO_COLOR`, no `--no-color`.
public struct Terminal: Sendable {
  public var useColor: Bool
  public var isInteractive: Bool

  public init(fileDescriptor: Int32, noColorFlag: Bool, environment: [String: String]) {
    isInteractive = isatty(fileDescriptor) == 1
    let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
    useColor = isInteractive && !noColorFlag && !noColor && environment["TERM"] != "dumb"
  }

  public init(useColor: Bool, isInteractive: Bool) {
    self.useColor = useColor
    self.isInteractive = isInteractive
  }

  /// `text` in `style`. Control characters in it are escaped (`String.terminalSafe`):
  /// painted text is names, descriptions and messages, never terminal commands.
  public func paint(_ text: String, _ style: Style) -> String {
    useColor ? "\u{1B}[\(style.rawValue)m\(text.terminalSafe)\u{1B}[0m" : text.terminalSafe
  }

  public enum Style: String, Sendable {
    case bold = "1"
    case dim = "2"
    case red = "1;31"
    case green = "32"
    case yellow = "33"
    case cyan = "1;36"
    case blue = "1;34"
  }
}

/// Writes whole strings to a file descriptor, unbuffered and in one call per message, so
/// concurrent writers do not interleave within a line.
public struct OutputStream: Sendable {
  public let fileDescriptor: Int32
  public static let standardOutput = OutputStream(fileDescriptor: 1)
  public static let standardError = OutputStream(fileDescriptor: 2)

  /// A stream on any open descriptor (a pipe a test reads back).
  public init(fileDescriptor: Int32) { self.fileDescriptor = fileDescriptor }

  public func write(_ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeMutableBytes { Glibc.write(fileDescriptor, $0.baseAddress! + offset, $0.count - offset) }
      if n < 0 {
        if errno == EINTR { continue }
        return
      }
      offset += n
    }
    bytes.removeAll()
  }
}
