import Foundation

/// Any project file's line, for a diagnostic's snippet: the one place both YAML and SQL
/// snippets come from. Config files are answered from the text the loader already read;
/// any other file (a SQL file, a dump, a file that is not UTF-8) is read from disk when a
/// diagnostic asks for its line, streamed, with bad bytes shown as `\xFF`. Executors keep
/// no lines of their own: errors are rare, and a load must not pay for them.
public struct SourceProvider: Sendable {
  public private(set) var texts: [String: String] = [:]
  /// Where project-relative paths are resolved; nil reads only the texts given.
  public var root: String?

  public init(root: String? = nil) { self.root = root }
  public mutating func add(_ text: String, path: String) { texts[path] = text }

  /// The 1-based line of a file, without its line ending.
  public func line(_ number: Int, of path: String) -> String? {
    guard number >= 1 else { return nil }
    if let text = texts[path] { return Self.line(number, in: text) }
    guard let absolute = path.hasPrefix("/") ? path : root.map({ $0 + "/" + path }) else { return nil }
    return Self.read(number, of: absolute)
  }

  private static func line(_ number: Int, in text: String) -> String? {
    var current = 1
    var start = text.startIndex
    var i = text.startIndex
    while i < text.endIndex {
      if text[i] == "\n" {
        if current == number { return String(text[start..<i]).trimmingSuffixCR() }
        current += 1
        start = text.index(after: i)
      }
      i = text.index(after: i)
    }
    return current == number ? String(text[start...]).trimmingSuffixCR() : nil
  }

  /// Streams from the start rather than keeping line offsets: only read when something failed.
  private static func read(_ number: Int, of path: String) -> String? {
    guard FileKind(path: path) == .regularFile, let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    var line = 1
    var current: [UInt8] = []
    while let chunk = try? handle.read(upToCount: 256 * 1024), !chunk.isEmpty {
      for byte in chunk {
        if byte == 0x0A {
          if line == number { return text(current, isFirst: number == 1) }
          line += 1
        } else if line == number {
          current.append(byte)
        }
      }
    }
    return line == number ? text(current, isFirst: number == 1) : nil
  }

  private static func text(_ bytes: [UInt8], isFirst: Bool) -> String {
    var bytes = bytes[...]
    if bytes.last == 0x0D { bytes = bytes.dropLast() }
    if isFirst, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
    return UTF8Validator.displayText(bytes)
  }
}

extension String {
  fileprivate func trimmingSuffixCR() -> String { hasSuffix("\r") ? String(dropLast()) : self }
}
