import ArgumentParser
import CruddurCore
import Foundation

/// What the shells complete from the project itself: task names (with descriptions where
/// zsh and fish show them), environments after `-e`, variable names after `--set`.
///
/// argument-parser's scripts ask the binary with `cruddur ---completion SUBCOMMAND -- ARG
/// INDEX CURSOR WORDS...` at every Tab. Those requests are answered here before
/// argument-parser parses anything (its reflection is most of the start-up time, see
/// `FastPath`); the `.custom` closures on the options give the same answers when the
/// fast path is off, and are what makes the generated scripts ask at all.
enum ProjectCompletion {
  enum Kind { case tasks, environments, variables }

  static func complete(_ kind: Kind, words: [String], index: Int, shell: String?) -> [String] {
    guard let project = load(words) else { return [] }
    switch kind {
    case .tasks:
      let isBash = shell == "bash"
      // bash splits `db:se` into `db`, `:`, `se` (':' is in COMP_WORDBREAKS) and replaces
      // only the text after the last colon, so the word is put back together and what
      // precedes that colon is cut off each candidate.
      let word = isBash ? bashWord(words, index) : (words.indices.contains(index) ? words[index] : "")
      let cut = isBash ? word.lastIndex(of: ":").map { word.distance(from: word.startIndex, to: $0) + 1 } ?? 0 : 0
      return project.taskOrder.sorted().filter { $0.hasPrefix(word) }.map { name in
        let description = project.tasks[name]?.description ?? ""
        switch shell {
        case "zsh": return name.replacingOccurrences(of: ":", with: "\\:") + (description.isEmpty ? "" : ":" + description)
        case "fish": return name + (description.isEmpty ? "" : "\t" + description)
        default: return String(name.dropFirst(cut))
        }
      }
    case .environments:
      return project.environments.map(\.name)
    case .variables:
      return ProjectVariables.names(in: project).sorted()
    }
  }

  /// Answers a `---completion` request, or nil when it is not one of ours.
  static func answer(_ arguments: [String]) -> String? {
    guard arguments.first == "---completion", let separator = arguments.firstIndex(of: "--"),
      arguments.count > separator + 3, let index = Int(arguments[separator + 2])
    else { return nil }
    let kind: Kind
    switch arguments[separator + 1] {
    case "positional@0": kind = .tasks
    case "-e", "--env": kind = .environments
    case "--set": kind = .variables
    default: return nil
    }
    let shell = ProcessInfo.processInfo.environment["SAP_SHELL"]
    var lines = complete(kind, words: Array(arguments[(separator + 4)...]), index: index, shell: shell)
    // As argument-parser's own formatting: the zsh script drops this last line, so a
    // trailing empty completion still works.
    if shell == "zsh" { lines.append(" ") }
    return lines.joined(separator: "\n")
  }

  /// The closure argument-parser calls when the fast path is off.
  static func custom(_ kind: Kind) -> CompletionKind {
    .custom { words, index, _ in
      complete(kind, words: words, index: index, shell: CompletionShell.requesting?.rawValue)
    }
  }

  /// The project the command line points at (`-f FILE`, else cruddur.yml here or above),
  /// loaded without checks beyond decoding; nothing at all if it cannot be read.
  private static func load(_ words: [String]) -> Project? {
    let cwd = FileManager.default.currentDirectoryPath
    let file = Array(zip(words, words.dropFirst())).last { $0.0 == "-f" || $0.0 == "--file" }?.1
    let path = file.map { SourceLoader.resolve($0, relativeTo: cwd) } ?? SourceLoader.findConfig(from: cwd)
    guard let path, SourceLoader.exists(path) else { return nil }
    return ProjectDecoder(registry: BuiltinExecutors.registry).load(configPath: path).0
  }

  /// The word at `index` as typed, joining the pieces bash split off at colons.
  private static func bashWord(_ words: [String], _ index: Int) -> String {
    guard words.indices.contains(index) else { return "" }
    var start = index
    while start > 1, words[start] == ":" || words[start - 1] == ":" { start -= 1 }
    return words[start...index].joined()
  }
}
