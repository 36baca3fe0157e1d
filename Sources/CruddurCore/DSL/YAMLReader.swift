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
      return .failure(diagnostic(for: error, path: path))
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
      return .mapping(
        mapping.map { YAMLNode.Pair(key: convert($0.key, path: path), value: convert($0.value, path: path)) },
        loc)
    case .sequence(let sequence):
      return .sequence(sequence.map { convert($0, path: path) }, loc)
    case .alias:
      return .scalar("", isPlain: true, loc)
    }
  }

  private static func diagnostic(for error: YamlError, path: String) -> Diagnostic {
    switch error {
    case .scanner(let context, let problem, let mark, _),
      .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      var notes: [Diagnostic.Note] = []
      if let context {
        notes.append(
          .init(context.text, at: SourceLocation(path: path, line: context.mark.line, column: context.mark.column)))
      }
      return .error(
        "invalid YAML: \(problem)", at: SourceLocation(path: path, line: mark.line, column: mark.column),
        notes: notes)
    case .duplicatedKeysInMapping(let duplicates, let context):
      let keys = duplicates.map { "`\($0)`" }.joined(separator: ", ")
      return .error(
        "duplicate key \(keys) in one mapping",
        at: SourceLocation(path: path, line: context.mark.line, column: context.mark.column))
    case .reader(let problem, _, _, _):
      return .error("cannot read YAML: \(problem)", at: SourceLocation(path: path, line: 1, column: 1))
    default:
      return .error("cannot read YAML: \(error)", at: SourceLocation(path: path, line: 1, column: 1))
    }
  }
}
