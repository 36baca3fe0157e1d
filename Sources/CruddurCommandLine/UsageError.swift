/// A command line the grammar refuses, with what to do instead. Rendered as cruddur's
/// other errors are (`error: ...`, ` = help: ...`), then the command's usage.
public struct UsageError: Error, Sendable, Equatable {
  public var message: String
  public var hint: String?
  /// The command whose usage is shown after the message.
  public var command: String?

  public init(_ message: String, hint: String? = nil, command: String?) {
    self.message = message
    self.hint = hint
    self.command = command
  }

  /// The whole text for stderr, ending in a newline.
  public func rendered(_ grammar: Grammar) -> String {
    var text = "error: \(message)\n"
    if let hint { text += " = help: \(hint)\n" }
    if let command, grammar.command(command) != nil {
      text += "Usage: \(HelpRenderer(grammar: grammar).usage(command))\n"
      text += "  See '\(grammar.program) \(command) --help' for more information.\n"
    }
    return text
  }
}
