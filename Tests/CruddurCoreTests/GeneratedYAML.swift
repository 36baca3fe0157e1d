/// A random YAML document: nested block and flow mappings and sequences of scalars in
/// every style, with comments and blank lines, as a tree and as text.
indirect enum GeneratedYAML {
  case scalar(String, YAMLScalarStyle)
  /// A literal block scalar (`|`): its lines, read back joined by line breaks plus one.
  case literal([String])
  case mapping([(String, YAMLScalarStyle, GeneratedYAML)], flow: Bool)
  case sequence([GeneratedYAML], flow: Bool)

  static func make(_ values: [Int]) -> GeneratedYAML {
    var c = Choices(values)
    return .mapping(pairs(&c, depth: 0, flow: false), flow: false)
  }

  private static func pairs(_ c: inout Choices, depth: Int, flow: Bool) -> [(String, YAMLScalarStyle, GeneratedYAML)] {
    var keys: Set<String> = []
    var out: [(String, YAMLScalarStyle, GeneratedYAML)] = []
    for _ in 0...c.pick(4) {
      var (key, style) = c.scalar(maxLength: 8, allowTab: false)
      while keys.contains(key) { key += "k" }
      keys.insert(key)
      out.append((key, style, node(&c, depth: depth + 1, flow: flow)))
    }
    return out
  }

  private static func node(_ c: inout Choices, depth: Int, flow: Bool) -> GeneratedYAML {
    switch depth < 4 ? c.pick(flow ? 3 : 4) : 0 {
    case 1:
      let isFlow = flow || c.chance(40)
      return .mapping(pairs(&c, depth: depth, flow: isFlow), flow: isFlow)
    case 2:
      let isFlow = flow || c.chance(40)
      return .sequence((0..<c.pick(4)).map { _ in node(&c, depth: depth + 1, flow: isFlow) }, flow: isFlow)
    case 3:
      return .literal((0...c.pick(3)).map { _ in (0...c.pick(3)).map { _ in c.identifier() }.joined(separator: " ") })
    default:
      let (value, style) = c.scalar()
      return .scalar(value, style)
    }
  }

  /// The value each scalar reads back as.
  var expected: Tree {
    switch self {
    case .scalar(let value, let style): .scalar(value, isPlain: style == .plain)
    case .literal(let lines): .scalar(lines.joined(separator: "\n") + "\n", isPlain: false)
    case .mapping(let pairs, _):
      .mapping(pairs.map { (.scalar($0.0, isPlain: $0.1 == .plain), $0.2.expected) })
    case .sequence(let items, _): .sequence(items.map(\.expected))
    }
  }

  /// The document's text.
  var text: String {
    guard case .mapping(let pairs, _) = self else { return "" }
    return Self.block(pairs, indent: 0) + "\n"
  }

  private static func block(_ pairs: [(String, YAMLScalarStyle, GeneratedYAML)], indent: Int) -> String {
    let pad = String(repeating: " ", count: indent)
    return pairs.enumerated().map { i, pair in
      let (key, style, value) = pair
      let comment = i % 3 == 2 ? "\(pad)# comment \(i)\n" : ""
      return comment + pad + style.render(key) + ":" + Self.value(value, indent: indent)
    }.joined(separator: "\n")
  }

  /// What follows a `key:` or a `-`: a space and a flow value, or a line break and a block.
  private static func value(_ node: GeneratedYAML, indent: Int) -> String {
    switch node {
    case .mapping(let pairs, false) where !pairs.isEmpty:
      return "\n" + block(pairs, indent: indent + 2)
    case .sequence(let items, false) where !items.isEmpty:
      let pad = String(repeating: " ", count: indent + 2)
      return items.map { "\n\(pad)-" + Self.value($0, indent: indent + 2) }.joined()
    case .literal(let lines):
      let pad = String(repeating: " ", count: indent + 2)
      return " |\n" + lines.map { pad + $0 }.joined(separator: "\n")
    default:
      return " " + flow(node)
    }
  }

  private static func flow(_ node: GeneratedYAML) -> String {
    switch node {
    case .scalar(let value, let style): style.render(value)
    case .literal(let lines): YAMLScalarStyle.doubleQuoted.render(lines.joined(separator: "\n") + "\n")
    case .mapping(let pairs, _): "{" + pairs.map { $0.1.render($0.0) + ": " + flow($0.2) }.joined(separator: ", ") + "}"
    case .sequence(let items, _): "[" + items.map(flow).joined(separator: ", ") + "]"
    }
  }

  /// A document's structure as both readers report it: scalars with their text and whether
  /// they were plain, mappings as ordered pairs.
  indirect enum Tree: Equatable, CustomStringConvertible {
    case scalar(String, isPlain: Bool)
    case mapping([Pair])
    case sequence([Tree])

    struct Pair: Equatable {
      var key: Tree
      var value: Tree
    }

    static func mapping(_ pairs: [(Tree, Tree)]) -> Tree { .mapping(pairs.map { Pair(key: $0.0, value: $0.1) }) }

    var description: String {
      switch self {
      case .scalar(let s, let plain): plain ? s.debugDescription : "'" + s.debugDescription + "'"
      case .mapping(let pairs): "{" + pairs.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
      case .sequence(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
      }
    }
  }
}
