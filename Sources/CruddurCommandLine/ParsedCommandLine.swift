/// A command line read against the grammar: the command, each option's values under the
/// option's name, and the words that are not options.
public struct ParsedCommandLine: Sendable, Equatable {
  public var command: String
  /// Whether the command was typed (`cruddur run x`) or is the default one (`cruddur x`).
  public var isExplicit: Bool
  public var values: [String: [String]] = [:]
  public var flags: Set<String> = []
  public var words: [String] = []
  /// The words after `--`, or for a command that passes words through, everything from
  /// the first word that is not one of its options.
  public var passedThrough: [String] = []

  public init(command: String, isExplicit: Bool) {
    self.command = command
    self.isExplicit = isExplicit
  }

  /// The option's value (the only one it may have).
  public func value(_ name: String) -> String? { values[name]?.last }
  public func all(_ name: String) -> [String] { values[name] ?? [] }
  public func flag(_ name: String) -> Bool { flags.contains(name) }

  /// A whole-number option's value; the parser has checked that it is one.
  public func integer(_ name: String) -> Int? { value(name).flatMap { Int($0) } }
}
