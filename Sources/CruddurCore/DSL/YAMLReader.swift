import Foundation
import Yams

/// Turns YAML text into a `YAMLNode` tree with a location on every value.
public enum YAMLReader {
  /// Parses one document. Syntax errors come back as a diagnostic at the place libyaml gives.
  public static func read(_ text: String, path: String) -> Result<YAMLNode?, Diagnostic> {
    do {
      // The basic resolver keeps every scalar a string: typing is ours to do (so `on`
      // stays a word and `1.0` a version), and it is several times faster than the default.
      let parser = try Parser(yaml: text, resolver: .basic)
      guard let root = try parser.singleRoot() else { return .success(nil) }
      return .success(convert(root, path: path))
    } catch let error as YamlError {
      return .failure(diagnostic(for: error, path: path, text: text))
    } catch {
      return .failure(.error("cannot read YAML: \(error)", at: SourceLocation(path: path, line: 1, column: 1)))
    }
  }

  private static func convert(_ node: Node, path: String) -> YAMLNode {
    // Deep trees are rare in task files, but recursion depth equals YAML nesting only,
    // never the number of tasks.
    let mark = node.mark
    let loc = SourceLocation(path: path, line: mark?.line ?? 1, column: mark?.column ?? 1)
    switch node {
    case .scalar(let scalar):
      return .scalar(scalar.string, isPlain: scalar.style == .plain || scalar.style == .any, loc)
    case .mapping(let mapping):
      var pairs: [YAMLNode.Pair] = []
      var merged: [YAMLNode.Pair] = []
      for (key, value) in mapping {
        // Yams leaves `<<: *base` as an ordinary key: apply YAML's merge here, keys written
        // in the mapping itself winning over merged ones.
        if case .scalar(let k) = key, k.string == "<<", k.style == .plain || k.style == .any {
          let sources: [Node] = value.sequence.map { Array($0) } ?? [value]
          for source in sources {
            if case .mapping(let sourcePairs, _) = convert(source, path: path) { merged += sourcePairs }
          }
          continue
        }
        pairs.append(YAMLNode.Pair(key: convert(key, path: path), value: convert(value, path: path)))
      }
      let own = Set(pairs.compactMap(\.key.string))
      var seen = Set<String>()
      for pair in merged {
        guard let key = pair.key.string, !own.contains(key), seen.insert(key).inserted else { continue }
        pairs.append(pair)
      }
      return .mapping(pairs, loc)
    case .sequence(let sequence):
      return .sequence(sequence.map { convert($0, path: path) }, loc)
    case .alias:
      return .scalar("", isPlain: true, loc)
    }
  }

  private static func diagnostic(for error: YamlError, path: String, text: String) -> Diagnostic {
    switch error {
    case .scanner(let context, let problem, let mark, _),
      .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      var notes: [Diagnostic.Note] = []
      if let context {
        notes.append(
          .init(context.text, at: SourceLocation(path: path, line: context.mark.line, column: context.mark.column)))
      }
      let location = SourceLocation(path: path, line: mark.line, column: mark.column)
      if problem == "but found another document" {
        return .error(
          "invalid YAML: a second document starts here; a cruddur file holds one", at: location,
          help: "remove the `---` line, or move what follows into a file of its own under `include:`")
      }
      let line = text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(mark.line - 1).first
      let hasTab = line.map { $0.unicodeScalars.dropFirst(max(0, mark.column - 1)).first == "\t" } ?? false
      return .error(
        "invalid YAML: \(problem)", at: location, notes: notes,
        help: hasTab ? "YAML indents with spaces; this line has a tab" : nil)
    case .duplicatedKeysInMapping(let duplicates, let context):
      // Yams points at the first occurrence and stops; the mistake is the second one.
      let key = duplicates.first ?? ""
      let first = SourceLocation(
        path: path, line: context.mark.line, column: context.mark.column, length: key.unicodeScalars.count)
      let second = secondOccurrence(of: key, after: first, in: context.text)
      return .error(
        "duplicate key `\(key)`", at: second ?? first, label: "`\(key)` is already defined",
        notes: second == nil ? [] : [.init("first defined here", at: first)])
    case .reader(let problem, _, _, _):
      return .error("cannot read YAML: \(problem)", at: SourceLocation(path: path, line: 1, column: 1))
    default:
      return .error("cannot read YAML: \(error)", at: SourceLocation(path: path, line: 1, column: 1))
    }
  }

  /// Finds the repeated key: on the same line after the first (a flow mapping), or on a later
  /// line at the same indentation before the mapping ends.
  static func secondOccurrence(of key: String, after first: SourceLocation, in text: String) -> SourceLocation? {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard first.line >= 1, first.line <= lines.count else { return nil }
    let firstLine = Array(lines[first.line - 1].unicodeScalars)
    let candidates = [key + ":", "\"" + key + "\":", "'" + key + "':"]
    let rest = String(String.UnicodeScalarView(firstLine.dropFirst(first.column)))
    for candidate in candidates {
      if let range = rest.range(of: candidate) {
        let column = first.column + 1 + rest[..<range.lowerBound].unicodeScalars.count
        return SourceLocation(path: first.path, line: first.line, column: column, length: key.unicodeScalars.count)
      }
    }
    let indent = first.column - 1
    var number = first.line
    while number < lines.count {
      let line = lines[number]
      number += 1
      let trimmed = line.drop(while: { $0 == " " })
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      let lineIndent = line.count - trimmed.count
      if lineIndent < indent { return nil }
      if lineIndent == indent, candidates.contains(where: { trimmed.hasPrefix($0) }) {
        return SourceLocation(path: first.path, line: number, column: indent + 1, length: key.unicodeScalars.count)
      }
    }
    return nil
  }
}
