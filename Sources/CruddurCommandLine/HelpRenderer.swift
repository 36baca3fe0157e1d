/// The help pages, read from the grammar: the program's (its commands) and each command's
/// (its words and options, from the option table). Laid out as argument-parser laid them
/// out before cruddur read its own command line, wrapped at 80 columns.
public struct HelpRenderer: Sendable {
  public var grammar: Grammar
  /// The longest line, as argument-parser wrapped them: 79 columns, but 80 for an entry's
  /// continuation lines.
  public var width = 79
  /// Where an entry's help starts.
  let column = 26

  public init(grammar: Grammar = .cruddur) { self.grammar = grammar }

  /// `cruddur --help`.
  public func programPage() -> String {
    var page = wrap("OVERVIEW: " + grammar.abstract) + "\n"
    if !grammar.discussion.isEmpty { page += "\n" + wrapLines(grammar.discussion) }
    page += "\nUSAGE: \(grammar.program) <subcommand>\n\nOPTIONS:\n"
    page += standardEntries()
    page += "\nSUBCOMMANDS:\n"
    for command in grammar.commands {
      let label =
        command.name == grammar.defaultCommand ? "\(command.name) (default)" : command.name
      page += entry(label, command.abstract)
    }
    page += "\n  See '\(grammar.program) help <subcommand>' for detailed help.\n"
    return page
  }

  /// `cruddur COMMAND --help`.
  public func page(_ name: String) -> String {
    guard let command = grammar.command(name) else { return programPage() }
    var page = wrap("OVERVIEW: " + command.abstract) + "\n"
    if !command.discussion.isEmpty { page += "\n" + wrapLines(command.discussion) }
    page += "\nUSAGE: \(usage(name))\n\n"
    if !command.positionals.isEmpty {
      page += "ARGUMENTS:\n"
      for positional in command.positionals {
        page += entry(
          "<\(positional.valueName)>", positional.help + valuesNote(positional.values, nil))
      }
      page += "\n"
    }
    let options = grammar.options(of: name)
    var groups: [String] = []
    for option in options {
      if let group = option.group, !groups.contains(group) { groups.append(group) }
    }
    for group in groups {
      page += group.uppercased() + ":\n"
      for option in options where option.group == group {
        page += entry(label(option), help(option))
      }
      page += "\n"
    }
    page += "OPTIONS:\n"
    for option in options where option.group == nil { page += entry(label(option), help(option)) }
    page += standardEntries() + "\n"
    return page
  }

  /// `cruddur plan [--file <file>] ... <task> ...`; a command with many options shows
  /// `[<options>]` instead of each.
  public func usage(_ name: String) -> String {
    guard let command = grammar.command(name) else { return "\(grammar.program) <subcommand>" }
    let options = grammar.options(of: name)
    var parts = ["\(grammar.program) \(name)"]
    if options.count > 12 {
      parts.append("[<options>]")
    } else {
      parts += options.map { "[\($0.synopsis)\($0.repeats ? " ..." : "")]" }
    }
    parts += command.positionals.map(\.synopsis)
    return parts.joined(separator: " ")
  }

  func label(_ option: OptionSpec) -> String {
    var names = option.spellings.joined(separator: ", ")
    if let value = option.valueName { names += " <\(value)>" }
    return names
  }

  func help(_ option: OptionSpec) -> String {
    option.help + valuesNote(option.values, option.defaultValue)
  }

  func valuesNote(_ values: [String], _ defaultValue: String?) -> String {
    guard !values.isEmpty else { return "" }
    return " (values: \(values.joined(separator: ", "))"
      + (defaultValue.map { "; default: \($0)" } ?? "") + ")"
  }

  func standardEntries() -> String {
    entry("--version", "Show the version.") + entry("-h, --help", "Show help information.")
  }

  /// `  LABEL   help wrapped under itself`.
  func entry(_ label: String, _ text: String) -> String {
    let lead = "  " + label
    let indent = String(repeating: " ", count: column)
    let lines = wrapWords(text, width: width + 1 - column, first: width - column)
    var out = ""
    if lead.count + 2 > column {
      out = lead + "\n"
      for line in lines { out += indent + line + "\n" }
      return out
    }
    for (index, line) in lines.enumerated() {
      out += (index == 0 ? lead.padding(to: column) : indent) + line + "\n"
    }
    return out
  }

  /// Each line of `text` wrapped on its own (a wrapped line continues at column 0).
  func wrapLines(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { wrap(String($0)) + "\n" }
      .joined()
  }

  func wrap(_ line: String) -> String {
    let indent = line.prefix { $0 == " " }
    let lines = wrapWords(String(line.dropFirst(indent.count)), width: width - indent.count)
    guard let first = lines.first else { return String(indent) }
    return ([indent + first] + lines.dropFirst()).joined(separator: "\n")
  }

  /// Greedy word wrap; a word longer than the width stands on its own line.
  func wrapWords(_ text: String, width: Int, first: Int? = nil) -> [String] {
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: false) {
      let limit = lines.isEmpty ? first ?? width : width
      if current.isEmpty {
        current = String(word)
      } else if current.count + 1 + word.count <= limit {
        current += " " + word
      } else {
        lines.append(current)
        current = String(word)
      }
    }
    if !current.isEmpty || lines.isEmpty { lines.append(current) }
    return lines
  }
}

extension String {
  fileprivate func padding(to width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}
