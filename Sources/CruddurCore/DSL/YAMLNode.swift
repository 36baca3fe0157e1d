/// A YAML value that never loses where it was written. Built by `YAMLReader` from
/// libyaml's events, so the rest of the core is independent of the parser and `Sendable`.
/// `indirect` keeps a copy one retain: without the box a node is seven words, and copying
/// them cost a 100-task plan more than the boxes' allocations saved (callgrind).
public indirect enum YAMLNode: Sendable, Hashable {
  case scalar(String, isPlain: Bool, SourceLocation)
  case mapping([Pair], SourceLocation)
  case sequence([YAMLNode], SourceLocation)

  public struct Pair: Sendable, Hashable {
    public var key: YAMLNode
    public var value: YAMLNode
  }

  public var location: SourceLocation {
    switch self {
    case .scalar(_, _, let l), .mapping(_, let l), .sequence(_, let l): l
    }
  }

  /// The text of a scalar; nil for a mapping or a sequence.
  public var string: String? {
    if case .scalar(let s, _, _) = self { return s }
    return nil
  }

  /// A plain `~`, `null` or empty scalar: YAML's null.
  public var isNull: Bool {
    if case .scalar(let s, true, _) = self { return s.isEmpty || s == "~" || s == "null" }
    return false
  }

  /// What kind of value this is, in words for error messages.
  public var kindName: String {
    switch self {
    case .scalar: isNull ? "nothing" : "a string"
    case .mapping: "a mapping"
    case .sequence: "a list"
    }
  }

  /// A location whose caret run spans a scalar's text on its line.
  public var spanLocation: SourceLocation {
    var l = location
    if case .scalar(let s, _, _) = self, let scalars = Self.scalarCountOnOneLine(s) {
      l.length = max(1, scalars)
    }
    return l
  }

  /// The number of Unicode scalars in `text`, or nil when it holds the Character "\n" (a
  /// line feed not after a carriage return: "\r\n" is one Character, and a line feed never
  /// joins any other). One pass over the bytes: walking Characters or scalars cost a
  /// 50-task `list` 0.3 M instructions.
  static func scalarCountOnOneLine(_ text: String) -> Int? {
    var scalars = 0
    var previous: UInt8 = 0
    for byte in text.utf8 {
      if byte == UInt8(ascii: "\n"), previous != UInt8(ascii: "\r") { return nil }
      // Every byte but a UTF-8 continuation byte (10xxxxxx) starts a scalar.
      if byte & 0xC0 != 0x80 { scalars += 1 }
      previous = byte
    }
    return scalars
  }
}
