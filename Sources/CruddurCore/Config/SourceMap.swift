/// The text of every file the project read, by project-relative path, so a diagnostic can
/// show its source line.
public struct SourceMap: Sendable {
  public private(set) var texts: [String: String] = [:]
  public init() {}
  public mutating func add(_ text: String, path: String) { texts[path] = text }

  /// The 1-based line of a file, without its line ending.
  public func line(_ number: Int, of path: String) -> String? {
    guard let text = texts[path], number >= 1 else { return nil }
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
}

extension String {
  fileprivate func trimmingSuffixCR() -> String { hasSuffix("\r") ? String(dropLast()) : self }
}
