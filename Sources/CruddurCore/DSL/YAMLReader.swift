internal import CYAML
import Foundation

/// Turns YAML text into a `YAMLNode` tree with a location on every value, straight from
/// libyaml's events. Building the tree here (rather than through a node library) lets a
/// duplicate key be reported where it is repeated and parsing go on to find more problems,
/// applies `<<` merge keys, and keeps large task files cheap to read.
public enum YAMLReader {
  /// Parses one document. A syntax error ends the parse with one diagnostic; duplicate keys
  /// are reported and the parse goes on (the first definition is kept).
  public static func read(_ text: String, path: String) -> (node: YAMLNode?, diagnostics: [Diagnostic]) {
    var reader = EventReader(path: path, text: text)
    return reader.read()
  }

  /// A mapping or sequence being built.
  private struct Frame {
    var isMapping: Bool
    var location: SourceLocation
    var anchor: String?
    var items: [YAMLNode] = []
    var pairs: [YAMLNode.Pair] = []
    var merged: [YAMLNode.Pair] = []
    var pendingKey: YAMLNode?
    /// Where each key of a large mapping is in `pairs`, by name; empty until the mapping
    /// has more than `scanLimit` pairs. Hashing every key of every mapping cost a 50-task
    /// `list` 0.3 M instructions; a small mapping is searched by a scan of its pairs.
    var keyIndex: [String: Int] = [:]
    static let scanLimit = 8

    /// The key already written in this mapping under `name`, if any.
    mutating func key(named name: String) -> YAMLNode? {
      if pairs.count <= Self.scanLimit {
        return pairs.first { $0.key.string == name }?.key
      }
      if keyIndex.isEmpty {
        for (index, pair) in pairs.enumerated() {
          if let key = pair.key.string { keyIndex[key] = index }
        }
      }
      return keyIndex[name].map { pairs[$0].key }
    }

    mutating func append(_ pair: YAMLNode.Pair, named name: String?) {
      pairs.append(pair)
      if let name, !keyIndex.isEmpty { keyIndex[name] = pairs.count - 1 }
    }
  }

  private struct EventReader {
    let path: String
    let text: String
    var anchors: [String: YAMLNode] = [:]
    var stack: [Frame] = []
    var root: YAMLNode?
    var diagnostics: [Diagnostic] = []
    var documents = 0

    init(path: String, text: String) {
      self.path = path
      self.text = text
    }

    mutating func read() -> (node: YAMLNode?, diagnostics: [Diagnostic]) {
      var parser = yaml_parser_t()
      guard yaml_parser_initialize(&parser) == 1 else {
        return (nil, [ConfigErrorKind.unreadableYAML(problem: "out of memory").diagnostic(at: location(line: 1, column: 1))])
      }
      defer { yaml_parser_delete(&parser) }
      var bytes = Array(text.utf8)
      return bytes.withUnsafeMutableBufferPointer { buffer -> (YAMLNode?, [Diagnostic]) in
        yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        var event = yaml_event_t()
        while true {
          guard yaml_parser_parse(&parser, &event) == 1 else {
            return (nil, diagnostics + [syntaxError(parser)])
          }
          defer { yaml_event_delete(&event) }
          if event.type == YAML_STREAM_END_EVENT { break }
          if let stop = handle(event) { return (nil, diagnostics + [stop]) }
        }
        return (root, diagnostics)
      }
    }

    /// Handles one event; returns a diagnostic when the document cannot be used.
    private mutating func handle(_ event: yaml_event_t) -> Diagnostic? {
      let here = location(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
      switch event.type {
      case YAML_DOCUMENT_START_EVENT:
        documents += 1
        if documents > 1 {
          return ConfigErrorKind.secondDocument.diagnostic(at: here)
        }
      case YAML_SCALAR_EVENT:
        let scalar = event.data.scalar
        let value = string(scalar.value, length: scalar.length)
        let node = YAMLNode.scalar(value, isPlain: scalar.style == YAML_PLAIN_SCALAR_STYLE, here)
        remember(node, anchor: scalar.anchor)
        add(node)
      case YAML_ALIAS_EVENT:
        let name = event.data.alias.anchor.map { String(cString: $0) } ?? ""
        guard let node = anchors[name] else { return ConfigErrorKind.undefinedAlias.diagnostic(at: here) }
        add(node)
      case YAML_SEQUENCE_START_EVENT:
        stack.append(Frame(isMapping: false, location: here, anchor: event.data.sequence_start.anchor.map { String(cString: $0) }))
      case YAML_MAPPING_START_EVENT:
        stack.append(Frame(isMapping: true, location: here, anchor: event.data.mapping_start.anchor.map { String(cString: $0) }))
      case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
        let frame = stack.removeLast()
        let node: YAMLNode
        if frame.isMapping {
          // Keys written in the mapping win over merged ones; the first merge source wins
          // over later ones, as YAML's merge key specifies.
          var pairs = frame.pairs
          // Only a mapping with a `<<` needs the set of its keys (0.26 M instructions of a
          // 100-task plan when built for every mapping).
          var present = frame.merged.isEmpty ? [] : Set(pairs.compactMap(\.key.string))
          for pair in frame.merged {
            guard let key = pair.key.string, present.insert(key).inserted else { continue }
            pairs.append(pair)
          }
          node = .mapping(pairs, frame.location)
        } else {
          node = .sequence(frame.items, frame.location)
        }
        if let anchor = frame.anchor { anchors[anchor] = node }
        add(node)
      default:
        break
      }
      return nil
    }

    private mutating func remember(_ node: YAMLNode, anchor: UnsafeMutablePointer<yaml_char_t>?) {
      if let anchor { anchors[String(cString: anchor)] = node }
    }

    /// Puts a finished node where it belongs: the root, a list item, a key or a value.
    private mutating func add(_ node: YAMLNode) {
      guard !stack.isEmpty else {
        root = node
        return
      }
      let top = stack.count - 1
      guard stack[top].isMapping else {
        stack[top].items.append(node)
        return
      }
      guard let key = stack[top].pendingKey else {
        stack[top].pendingKey = node
        return
      }
      stack[top].pendingKey = nil
      if case .scalar("<<", true, _) = key {
        switch node {
        case .mapping(let pairs, _): stack[top].merged += pairs
        case .sequence(let sources, _):
          for case .mapping(let pairs, _) in sources { stack[top].merged += pairs }
        default:
          diagnostics.append(ConfigErrorKind.invalidMergeKey.diagnostic(at: node.spanLocation))
        }
        return
      }
      let name = key.string
      if let name, let first = stack[top].key(named: name) {
        var second = key.spanLocation
        second.length = max(1, name.unicodeScalars.count)
        diagnostics.append(ConfigErrorKind.duplicateKey(key: name, firstAt: first.spanLocation).diagnostic(at: second))
        return
      }
      stack[top].append(YAMLNode.Pair(key: key, value: node), named: name)
    }

    private func syntaxError(_ parser: yaml_parser_t) -> Diagnostic {
      let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
      if parser.error == YAML_READER_ERROR {
        return ConfigErrorKind.unreadableYAML(problem: problem).diagnostic(at: location(line: 1, column: 1))
      }
      let mark = parser.problem_mark
      let at = endClamped(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
      var context: ConfigErrorKind.Place?
      if let libyamlContext = parser.context {
        let contextMark = parser.context_mark
        context = .init(
          String(cString: libyamlContext), at: endClamped(line: Int(contextMark.line) + 1, column: Int(contextMark.column) + 1))
      }
      let line = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        .dropFirst(Int(mark.line)).first
      let hasTab = line.map { $0.unicodeScalars.dropFirst(Int(mark.column)).first == "\t" } ?? false
      return ConfigErrorKind.invalidYAML(problem: problem, context: context, hasTab: hasTab).diagnostic(at: at)
    }

    /// libyaml reports a problem found at the end of the input (a key without its colon
    /// on the last line) on the line after the last one, which the file does not have and
    /// no snippet can show: such a place moves to the end of the last line with text.
    private func endClamped(line: Int, column: Int) -> SourceLocation {
      // By Character, "\r\n" is one: both line ends split.
      let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
      let isPastText = line > lines.count || (line == lines.count && lines[line - 1].allSatisfy(\.isWhitespace))
      guard isPastText,
        let last = lines.lastIndex(where: { !$0.allSatisfy(\.isWhitespace) })
      else { return location(line: line, column: column) }
      return location(line: last + 1, column: lines[last].unicodeScalars.count + 1)
    }

    private func location(line: Int, column: Int) -> SourceLocation {
      SourceLocation(path: path, line: line, column: column)
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, length: Int) -> String {
      guard let pointer else { return "" }
      return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }
  }
}
