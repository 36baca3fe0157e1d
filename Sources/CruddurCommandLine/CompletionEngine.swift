/// The answer to a shell's Tab, read from the grammar: after a value-taking option, its
/// values; at a word starting with `-`, the command's options; else the command's words
/// (commands and tasks at the top level, since `run` is the default command).
///
/// The scripts (`CompletionScripts`) call `cruddur __complete SHELL -- WORDS...` with the
/// words up to the cursor, the last one the word being typed. The answer's first line is
/// `files` (let the shell complete a path; `files json`: one ending in `.json`) or `words`, then one candidate a line in the
/// shell's format: bash the bare word, zsh `word:description` (colons in the word
/// escaped), fish `word<TAB>description`.
public struct CompletionEngine: Sendable {
  public var grammar: Grammar

  public init(grammar: Grammar = .cruddur) { self.grammar = grammar }

  enum Answer: Equatable {
    case files(ending: String?)
    case words([Candidate])
  }

  struct Candidate: Equatable {
    var word: String
    var description: String
  }

  /// `project` is called at most once, with the `-f` value typed, when project facts are needed.
  public func answer(shell: String, words: [String], project: (String?) -> ProjectFacts?) -> String
  {
    let typed = Array(words.dropFirst())
    let current = typed.last ?? ""
    switch answer(before: Array(typed.dropLast()), current: current, project: project) {
    case .files(let ending):
      return "files" + (ending.map { " " + $0 } ?? "") + "\n"
    case .words(let candidates):
      let matching = candidates.filter { $0.word.hasPrefix(current) }
      return "words\n" + matching.map { format($0, shell: shell, current: current) + "\n" }.joined()
    }
  }

  func answer(before: [String], current: String, project: (String?) -> ProjectFacts?) -> Answer {
    let parser = CommandLineParser(grammar: grammar)
    let (located, position) = parser.locateCommand(before + [current])
    let command = position == before.count ? nil : located
    let name = command ?? grammar.defaultCommand
    let options = grammar.options(of: name == "help" ? grammar.defaultCommand : name)
    let file = Array(zip(before, before.dropFirst())).last { $0.0 == "-f" || $0.0 == "--file" }?.1
    var facts: ProjectFacts??
    func loaded() -> ProjectFacts? {
      if let facts { return facts }
      let read = project(file)
      facts = .some(read)
      return read
    }
    let afterDashes = before.contains("--")
    if !afterDashes, let previous = before.last, parser.takesSeparateValue(previous) {
      let spec =
        options.first { $0.takesValue && $0.spellings.contains(previous) }
        ?? grammar.options.first { $0.takesValue && $0.spellings.contains(previous) }
      guard let spec else { return .words([]) }
      switch spec.completion {
      case .files: return .files(ending: nil)
      case .values: return .words(spec.values.map { Candidate(word: $0, description: spec.help) })
      case .environments:
        return .words(
          (loaded()?.environments ?? []).map { Candidate(word: $0, description: spec.help) })
      case .variables:
        return .words((loaded()?.variables ?? []).map { Candidate(word: $0, description: "") })
      case .none: return .words([])
      }
    }
    if !afterDashes, current.hasPrefix("-") {
      let candidates = options.flatMap { option in
        option.spellings.map { Candidate(word: $0, description: option.help) }
      }
      return .words(candidates + [Candidate(word: "--help", description: "Show help information.")])
    }
    // Which positional word is being typed: those before it that are not options or values.
    var index = 0
    var skip = false
    var ended = false
    for (offset, word) in before.enumerated() where offset != position {
      if skip {
        skip = false
      } else if !ended, word == "--" {
        ended = true
      } else if !ended, word.hasPrefix("-"), word != "-" {
        skip = parser.takesSeparateValue(word)
      } else {
        index += 1
      }
    }
    func tasks() -> [Candidate] {
      (loaded()?.tasks ?? []).map { Candidate(word: $0.name, description: $0.description) }
    }
    let commands =
      grammar.commands.map { Candidate(word: $0.name, description: $0.abstract) }
      + [Candidate(word: "help", description: "Show help for a command or a task.")]
    // Commands first, then tasks, as bash lists them for `cruddur he`: help, hello.
    if command == nil, index == 0, !afterDashes {
      return .words(sorted(commands) + sorted(tasks()))
    }
    if command == "help" {
      return index == 0 ? .words(sorted(commands) + sorted(tasks())) : .words([])
    }
    guard let spec = grammar.command(name), !spec.positionals.isEmpty else { return .words([]) }
    let positional = spec.positionals[min(index, spec.positionals.count - 1)]
    if index >= spec.positionals.count, !positional.repeats { return .words([]) }
    switch positional.completion {
    case .tasks: return .words(sorted(tasks()))
    case .files: return .files(ending: nil)
    case .filesEnding(let ending): return .files(ending: ending)
    case .values:
      return .words(positional.values.map { Candidate(word: $0, description: positional.help) })
    case .none: return .words([])
    }
  }

  func sorted(_ candidates: [Candidate]) -> [Candidate] { candidates.sorted { $0.word < $1.word } }

  func format(_ candidate: Candidate, shell: String, current: String) -> String {
    switch shell {
    case "zsh":
      let word = candidate.word.replacingOccurrences(":", with: "\\:")
      return candidate.description.isEmpty ? word : word + ":" + oneLine(candidate.description)
    case "fish":
      return candidate.description.isEmpty
        ? candidate.word : candidate.word + "\t" + oneLine(candidate.description)
    default:
      // bash splits `db:se` at the colon (it is in COMP_WORDBREAKS) and replaces only the
      // text after the last one, so each candidate loses what precedes it.
      guard let colon = current.lastIndex(of: ":") else { return candidate.word }
      return String(
        candidate.word.dropFirst(current.distance(from: current.startIndex, to: colon) + 1))
    }
  }

  func oneLine(_ text: String) -> String {
    text.split(whereSeparator: \.isNewline).joined(separator: " ")
  }
}

extension String {
  fileprivate func replacingOccurrences(_ target: Character, with replacement: String) -> String {
    var out = ""
    for character in self {
      if character == target { out += replacement } else { out.append(character) }
    }
    return out
  }
}
