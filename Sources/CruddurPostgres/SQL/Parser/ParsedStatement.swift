/// One statement of a parsed text: its tree and where it sits in the text.
public struct ParsedStatement: Sendable, Equatable {
  /// The statement's node, typed (`{"DeleteStmt": {…}}`).
  public var node: ParseNode
  /// Byte offset of the statement in the text parsed (libpg_query's `stmt_location`).
  public var location: Int
  /// Length in bytes, 0 when the statement runs to the end of the text.
  public var length: Int

  public init(node: ParseNode, location: Int, length: Int) {
    self.node = node
    self.location = location
    self.length = length
  }
}
