/// A place in a project file: path relative to the project root, 1-based line and column
/// (columns count Unicode scalars, as libyaml's marks do) and a length for the caret run.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
  public var path: String
  public var line: Int
  public var column: Int
  public var length: Int

  public init(path: String, line: Int, column: Int, length: Int = 1) {
    self.path = path
    self.line = line
    self.column = column
    self.length = max(1, length)
  }

  public var description: String { "\(path):\(line):\(column)" }
}
