import Foundation

/// One fenced block of README.md or docs/*.md that shows a `$ cruddur …` command and what it
/// printed: a terminal session as a reader would type it. `ReadmeExamplesTests` runs it.
///
/// The block's setup is named by the HTML comment on the line before its fence,
/// `<!-- example: NAME -->`; `DocExampleSetup.named(_:)` says what NAME builds (a project, a
/// database, an environment). A block with no such comment fails the test, so a new example
/// cannot be added untested by accident.
struct DocExample: CustomStringConvertible, Sendable {
  /// One line of the block the reader types, or a line that says what happens in between.
  enum Item: Sendable, Equatable {
    /// `$ COMMAND` and the lines it printed (stdout and stderr as a terminal shows them).
    case command(String, output: [String])
    /// `-- someone edits db/seed.sql`: an action the setup performs, named by its text (only
    /// the texts the setup names: `-- migrate:up` in a `cat` of a migration is output).
    case narration(String)
  }

  let file: String
  /// 1-based line of the opening fence.
  let line: Int
  /// The NAME of `<!-- example: NAME -->`, nil when the block has none.
  let setup: String?
  /// Every line between the fences, with the fence's indentation removed: what the output of
  /// the run is compared against.
  let text: [String]

  var description: String { "\(file):\(line)" }

  /// The first command as written, for messages and the exempt list.
  var firstCommand: String {
    text.first { $0.hasPrefix("$ ") }.map { String($0.dropFirst(2)) } ?? ""
  }

  /// True when some command shows output: a block of commands alone is a recipe, not an example.
  var showsOutput: Bool { text.contains { !$0.hasPrefix("$ ") } }

  /// Every fenced block of `text` holding a command line that runs cruddur (`$ cruddur …`,
  /// or `$ NAME=value … cruddur …`).
  static func examples(in text: String, file: String) -> [DocExample] {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var found: [DocExample] = []
    var index = 0
    while index < lines.count {
      let trimmed = lines[index].drop { $0 == " " }
      guard trimmed.hasPrefix("```") else {
        index += 1
        continue
      }
      let indent = lines[index].count - trimmed.count
      let open = index
      var body: [String] = []
      index += 1
      while index < lines.count, lines[index].drop(while: { $0 == " " }) != "```" {
        body.append(
          String(lines[index].dropFirst(min(indent, lines[index].prefix { $0 == " " }.count))))
        index += 1
      }
      index += 1
      guard trimmed == "```", body.contains(where: isCruddurCommand) else { continue }
      found.append(
        DocExample(
          file: file, line: open + 1, setup: marker(before: open, in: lines), text: body))
    }
    return found
  }

  /// `$ cruddur …` or `$ A=1 B=2 cruddur …`.
  static func isCruddurCommand(_ line: String) -> Bool {
    guard line.hasPrefix("$ ") else { return false }
    for word in line.dropFirst(2).split(separator: " ") {
      if word == "cruddur" { return true }
      guard word.contains("="), word.first?.isLetter == true else { return false }
    }
    return false
  }

  static func marker(before open: Int, in lines: [String]) -> String? {
    guard open > 0 else { return nil }
    let line = lines[open - 1].trimmingCharacters(in: .whitespaces)
    guard line.hasPrefix("<!-- example: "), line.hasSuffix(" -->") else { return nil }
    return String(line.dropFirst("<!-- example: ".count).dropLast(" -->".count))
  }

  /// The commands and narrations, in order; `narrations` are the `-- TEXT` lines the setup
  /// performs.
  func items(narrations: Set<String>) -> [Item] {
    var items: [Item] = []
    for line in text {
      if line.hasPrefix("$ ") {
        items.append(.command(String(line.dropFirst(2)), output: []))
      } else if line.hasPrefix("-- "), narrations.contains(String(line.dropFirst(3))) {
        items.append(.narration(String(line.dropFirst(3))))
      } else if case .command(let command, let output) = items.last {
        items[items.count - 1] = .command(command, output: output + [line])
      }
      // Text before the first command is printed by nothing, so the comparison of the
      // whole block fails on it.
    }
    return items
  }
}
