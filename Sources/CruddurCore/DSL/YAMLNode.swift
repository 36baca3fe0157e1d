/// A YAML value that never loses where it was written. Built by `YAMLReader` from
/// libyaml's events, so the rest of the core is independent of the parser and `Sendable`.
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
    // The byte test first: `contains("\n")` walks Characters (grapheme breaking), 0.4 M
    // instructions of a 50-task `list`; only text with a newline byte needs its answer
    // ("\r\n" is one Character, not "\n").
    if case .scalar(let s, _, _) = self, !s.utf8.contains(UInt8(ascii: "\n")) || !s.contains("\n") {
      l.length = max(1, s.unicodeScalars.count)
    }
    return l
  }
}
