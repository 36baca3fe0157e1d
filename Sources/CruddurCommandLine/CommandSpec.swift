/// One command of the grammar: its name, its help and the words it takes. Its options are
/// the option table's rows that name it.
public struct CommandSpec: Sendable {
  public var name: String
  public var abstract: String
  public var discussion: String
  public var positionals: [PositionalSpec]
  /// Everything after its own options goes to another program unread (`connect`'s psql
  /// arguments): the first word that is not one of its options starts it.
  public var passesThrough: Bool

  public init(
    _ name: String, abstract: String, discussion: String = "", positionals: [PositionalSpec] = [],
    passesThrough: Bool = false
  ) {
    self.name = name
    self.abstract = abstract
    self.discussion = discussion
    self.positionals = positionals
    self.passesThrough = passesThrough
  }
}
