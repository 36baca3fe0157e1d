/// Small typed reads of YAML nodes that report a precise diagnostic when the shape is wrong.
public struct NodeDecoding {
  public var diagnostics: [Diagnostic] = []
  public init() {}

  public mutating func mapping(_ node: YAMLNode, _ what: String) -> [YAMLNode.Pair]? {
    if case .mapping(let pairs, _) = node { return pairs }
    if node.isNull { return [] }
    diagnostics.append(.error("\(what) must be a mapping, found \(node.kindName)", at: node.spanLocation))
    return nil
  }

  public mutating func string(_ node: YAMLNode, _ what: String) -> String? {
    if case .scalar(let s, _, _) = node, !node.isNull { return s }
    diagnostics.append(.error("\(what) must be a string, found \(node.kindName)", at: node.spanLocation))
    return nil
  }

  public mutating func bool(_ node: YAMLNode, _ what: String) -> Bool? {
    if case .scalar(let s, true, _) = node {
      switch s {
      case "true", "True", "TRUE", "yes", "Yes", "on": return true
      case "false", "False", "FALSE", "no", "No", "off": return false
      default: break
      }
    }
    diagnostics.append(.error("\(what) must be true or false, found \(describe(node))", at: node.spanLocation))
    return nil
  }

  /// A duration in seconds (`90s`, `2m`, `1h30m`, `500ms` or a number of seconds), more
  /// than 0 and at most `DurationText.maximumSeconds`.
  public mutating func duration(_ node: YAMLNode, _ what: String) -> Double? {
    guard case .scalar(let text, _, _) = node, !node.isNull, let seconds = DurationText.seconds(text) else {
      diagnostics.append(
        .error(
          "\(what) must be a duration such as `90s`, `2m`, `1h30m` or `500ms`, or a number of seconds; found \(describe(node))",
          at: node.spanLocation))
      return nil
    }
    guard seconds > 0 else {
      diagnostics.append(.error("\(what) must be more than 0 seconds, found \(describe(node))", at: node.spanLocation))
      return nil
    }
    guard seconds <= DurationText.maximumSeconds else {
      diagnostics.append(
        .error(
          "\(what) must be at most a week (\(Int(DurationText.maximumSeconds)) seconds), found \(describe(node))",
          at: node.spanLocation))
      return nil
    }
    return seconds
  }

  /// A list of strings, each kept with its location.
  public mutating func stringList(_ node: YAMLNode, _ what: String) -> [(String, SourceLocation)]? {
    guard case .sequence(let items, _) = node else {
      if node.isNull { return [] }
      diagnostics.append(
        .error(
          "\(what) must be a list, found \(node.kindName)", at: node.spanLocation,
          help: node.string.map { "write it as `[\($0)]`" }))
      return nil
    }
    var out: [(String, SourceLocation)] = []
    for item in items {
      if let s = string(item, "each entry of \(what)") { out.append((s, item.spanLocation)) }
    }
    return out
  }

  public mutating func template(_ node: YAMLNode, _ what: String) -> Template? {
    guard let text = string(node, what) else { return nil }
    do {
      return try Template(parsing: text, at: node.location)
    } catch {
      diagnostics.append(error.diagnostic)
      return nil
    }
  }

  /// Reports keys that are not in `known`, suggesting the closest.
  public mutating func checkKeys(_ pairs: [YAMLNode.Pair], known: some Collection<String>, in what: String) {
    for pair in pairs {
      guard let key = pair.key.string else {
        diagnostics.append(.error("keys in \(what) must be strings", at: pair.key.location))
        continue
      }
      if !known.contains(key) {
        diagnostics.append(
          .error("unknown key `\(key)` in \(what)", at: pair.key.spanLocation, label: Suggestion.label(for: key, in: known)))
      }
    }
  }

  private func describe(_ node: YAMLNode) -> String {
    if let s = node.string, !node.isNull { return "`\(s)`" }
    return node.kindName
  }
}
