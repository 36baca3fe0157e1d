import CruddurCore

/// Reads a command line against the grammar's option table. One reader for every
/// command: options before or after the words, `--long value`, `--long=value`, `-s value`,
/// `-svalue`, grouped short flags (`-yn`), `--` ending options. Nothing typed is ignored:
/// an unknown option, a surplus word, a value-taking option with no value, an option given
/// to a command that does not take it, a single-valued option given twice are errors.
public struct CommandLineParser: Sendable {
  public var grammar: Grammar

  public init(grammar: Grammar = .cruddur) { self.grammar = grammar }

  public func parse(_ arguments: [String]) throws(UsageError) -> CommandLineRequest {
    if arguments.first == "__complete", arguments.count >= 2 {
      var words = Array(arguments.dropFirst(2))
      if words.first == "--" { words.removeFirst() }
      return .complete(shell: arguments[1], words: words)
    }
    if let shell = completionScriptShell(arguments) { return .completionScript(shell: shell) }
    let (command, position) = locateCommand(arguments)
    var rest = arguments
    if let position { rest.remove(at: position) }
    if command == "help" { return try help(rest) }
    let name = command ?? grammar.defaultCommand
    var parsed = ParsedCommandLine(command: name, isExplicit: command != nil)
    var version = false
    var sawHelp = false
    // A help request is answered whatever else is typed: the page says what is wrong. What
    // a command passes through (`connect`'s psql arguments) may ask psql for its help.
    let passes = grammar.command(name)?.passesThrough ?? false
    var asksHelp = !passes && rest.prefix { $0 != "--" }.contains { $0 == "-h" || $0 == "--help" }
    do throws(UsageError) {
      try read(rest, into: &parsed, version: &version, help: &sawHelp)
      asksHelp = asksHelp || sawHelp
    } catch {
      if !(asksHelp || sawHelp) { throw error }
      asksHelp = true
    }
    if asksHelp {
      if command == nil, parsed.words.isEmpty {
        return .help(command: nil, task: nil, isExplicit: false, options: parsed)
      }
      let task = name == grammar.defaultCommand ? parsed.words.first : nil
      return .help(command: name, task: task, isExplicit: false, options: parsed)
    }
    if version { return .version }
    try checkWords(parsed)
    return .command(parsed)
  }

  /// `--generate-completion-script SHELL` or `--generate-completion-script=SHELL`, alone.
  func completionScriptShell(_ arguments: [String]) -> String? {
    let flag = "--generate-completion-script"
    if arguments.count == 2, arguments[0] == flag { return arguments[1] }
    if arguments.count == 1, arguments[0].hasPrefix(flag + "=") {
      return String(arguments[0].dropFirst(flag.count + 1))
    }
    return nil
  }

  /// The command word and where it is: the first word that is not an option or an
  /// option's value, when it names a command (else the default command runs it as a task).
  func locateCommand(_ arguments: [String]) -> (String?, Int?) {
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      if argument == "--" { return (nil, nil) }
      if argument.hasPrefix("-"), argument != "-" {
        index += takesSeparateValue(argument) ? 2 : 1
        continue
      }
      return grammar.commandNames.contains(argument) ? (argument, index) : (nil, nil)
    }
    return (nil, nil)
  }

  /// Whether `argument` is an option (of any command) whose value is the next argument.
  func takesSeparateValue(_ argument: String) -> Bool {
    if argument.hasPrefix("--") {
      return !argument.contains("=")
        && grammar.options.contains { $0.takesValue && $0.long == String(argument.dropFirst(2)) }
    }
    guard argument.count == 2, let short = argument.last else { return false }
    return grammar.options.contains { $0.takesValue && $0.short == short }
  }

  /// `help`, `help COMMAND`, `help TASK`.
  func help(_ rest: [String]) throws(UsageError) -> CommandLineRequest {
    var parsed = ParsedCommandLine(command: grammar.defaultCommand, isExplicit: false)
    var version = false
    var sawHelp = false
    try? read(rest, into: &parsed, version: &version, help: &sawHelp)
    guard let word = parsed.words.first else {
      return .help(command: nil, task: nil, isExplicit: true, options: parsed)
    }
    if parsed.words.count > 1 {
      throw UsageError(
        "unexpected argument `\(parsed.words[1])`", hint: "`help` shows one command or task",
        command: nil)
    }
    if grammar.command(word) != nil {
      return .help(command: word, task: nil, isExplicit: true, options: parsed)
    }
    // `help help`: the program's page, which says how to ask for help.
    if word == "help" { return .help(command: nil, task: nil, isExplicit: true, options: parsed) }
    return .help(command: nil, task: word, isExplicit: true, options: parsed)
  }

  func read(
    _ arguments: [String], into parsed: inout ParsedCommandLine, version: inout Bool,
    help: inout Bool
  ) throws(UsageError) {
    let command = grammar.command(parsed.command)
    let passes = command?.passesThrough ?? false
    let options = grammar.options(of: parsed.command)
    var index = 0
    func next() -> String? {
      guard index < arguments.count else { return nil }
      defer { index += 1 }
      return arguments[index]
    }
    // The argument after a value-taking option is its value, unless it is an option this
    // command knows or `--`: then the value is missing, not the option swallowed.
    func value(for spec: OptionSpec, spelled spelling: String) throws(UsageError) -> String {
      guard index < arguments.count, !isOption(arguments[index], of: options) else {
        throw UsageError(
          "missing value for `\(spec.shown(as: spelling))`", hint: spec.help,
          command: parsed.command)
      }
      return next()!
    }
    while let argument = next() {
      if argument == "--" {
        if passes {
          parsed.passedThrough += arguments[index...]
        } else {
          parsed.words += arguments[index...]
        }
        return
      }
      if argument == "-h" || argument == "--help" {
        help = true
        continue
      }
      if argument == "--version" {
        version = true
        continue
      }
      if argument.hasPrefix("--") {
        let body = argument.dropFirst(2)
        let long = String(
          body.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0])
        let inline =
          body.contains("=") ? String(body[body.index(after: body.firstIndex(of: "=")!)...]) : nil
        guard let spec = options.first(where: { $0.long == long }) else {
          if passes {
            parsed.passedThrough += arguments[(index - 1)...]
            return
          }
          throw unknownOption("--" + long, command: parsed.command, options: options)
        }
        let spelling = "--" + long
        if spec.takesValue {
          let given: String
          if let inline { given = inline } else { given = try value(for: spec, spelled: spelling) }
          if given.isEmpty, inline != nil {
            throw UsageError(
              "missing value for `\(spec.shown(as: spelling))`", hint: spec.help,
              command: parsed.command)
          }
          try record(spec, spelled: spelling, value: given, in: &parsed)
        } else if let inline {
          throw UsageError(
            "the option `\(spelling)` does not take any value, but `\(inline)` was specified",
            command: parsed.command)
        } else {
          parsed.flags.insert(spec.name)
        }
        continue
      }
      if argument.hasPrefix("-"), argument.count > 1 {
        var letters = argument.dropFirst()[...]
        while let letter = letters.popFirst() {
          guard let spec = options.first(where: { $0.short == letter }) else {
            if passes, letters.count == argument.count - 2 {
              parsed.passedThrough += arguments[(index - 1)...]
              return
            }
            throw unknownOption(argument, command: parsed.command, options: options)
          }
          let spelling = "-\(letter)"
          if spec.takesValue {
            // `-j4` as `-j 4`, as make and just take it.
            let given: String
            if letters.isEmpty {
              given = try value(for: spec, spelled: spelling)
            } else {
              given = String(letters)
            }
            try record(spec, spelled: spelling, value: given, in: &parsed)
            break
          }
          parsed.flags.insert(spec.name)
        }
        continue
      }
      if passes {
        parsed.passedThrough += arguments[(index - 1)...]
        return
      }
      parsed.words.append(argument)
    }
  }

  func isOption(_ argument: String, of options: [OptionSpec]) -> Bool {
    if argument == "--" || argument == "-h" || argument == "--help" { return true }
    let spelling = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
    return options.contains { $0.spellings.contains(spelling) }
  }

  func record(
    _ spec: OptionSpec, spelled spelling: String, value: String, in parsed: inout ParsedCommandLine
  )
    throws(UsageError)
  {
    if !spec.values.isEmpty, !spec.values.contains(value) {
      throw UsageError(
        "the value `\(value)` is invalid for `\(spec.shown(as: spelling))`. Please provide one of \(Self.list(spec.values))",
        command: parsed.command)
    }
    if spec.isInteger, Int(value) == nil {
      throw UsageError(
        "the value `\(value)` is invalid for `\(spec.shown(as: spelling))`", hint: "a whole number",
        command: parsed.command)
    }
    if !spec.repeats, let earlier = parsed.values[spec.name]?.first {
      throw UsageError(
        "`\(spelling)` is given twice (`\(earlier)`, then `\(value)`)", hint: "give it once",
        command: parsed.command)
    }
    parsed.values[spec.name, default: []].append(value)
  }

  /// An option this command does not take: named with the commands that do take it, or with
  /// the closest option this command has.
  func unknownOption(_ typed: String, command: String, options: [OptionSpec]) -> UsageError {
    let takers = grammar.options.filter { $0.spellings.contains(typed) }.flatMap(\.commands)
    if !takers.isEmpty {
      let names = grammar.commands.map(\.name).filter { takers.contains($0) }
      return UsageError(
        "unknown option `\(typed)`",
        hint: "`\(typed)` is an option of \(Self.list(names, conjunction: "and"))",
        command: command)
    }
    let spellings =
      options.flatMap(\.spellings).filter { $0.hasPrefix("--") } + ["--help", "--version"]
    let suggestion = typed.hasPrefix("--") ? Suggestion.closest(to: typed, in: spellings) : nil
    return UsageError(
      "unknown option `\(typed)`", hint: suggestion.map { "did you mean `\($0)`?" },
      command: command)
  }

  /// The words against the command's positional arguments: none missing, none left over,
  /// each one of its values where it has a fixed list.
  func checkWords(_ parsed: ParsedCommandLine) throws(UsageError) {
    guard let command = grammar.command(parsed.command) else { return }
    let positionals = command.positionals
    for (offset, spec) in positionals.enumerated() {
      guard offset < parsed.words.count else {
        if spec.optional { return }
        throw UsageError(
          "missing expected argument `\(spec.synopsis)`", hint: spec.help, command: command.name)
      }
      let word = parsed.words[offset]
      if !spec.values.isEmpty, !spec.values.contains(word) {
        throw UsageError(
          "the value `\(word)` is invalid for `<\(spec.valueName)>`. Please provide one of \(Self.list(spec.values))",
          command: command.name)
      }
      if spec.repeats { return }
    }
    if parsed.words.count > positionals.count {
      throw UsageError(
        "unexpected argument `\(parsed.words[positionals.count])`", command: command.name)
    }
  }

  /// `a`, `a` or `b`, `a`, `b` or `c`.
  static func list(_ items: [String], conjunction: String = "or") -> String {
    let quoted = items.map { "`\($0)`" }
    guard quoted.count > 1 else { return quoted.first ?? "" }
    return quoted.dropLast().joined(separator: ", ") + " \(conjunction) " + quoted.last!
  }
}
