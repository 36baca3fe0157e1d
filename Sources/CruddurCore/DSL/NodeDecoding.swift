/// Small typed reads of YAML nodes that report a precise diagnostic when the shape is wrong.
public struct NodeDecoding {
  public var diagnostics: [Diagnostic] = []
  public init() {}

  public mutating func mapping(
    _ node: YAMLNode, _ what: @autoclosure () -> String
  ) -> [YAMLNode.Pair]? {
    if case .mapping(let pairs, _) = node { return pairs }
    if node.isNull { return [] }
    report(.wrongType(what: what(), expected: .mapping, found: node.kindName), at: node.spanLocation)
    return nil
  }

  public mutating func string(_ node: YAMLNode, _ what: @autoclosure () -> String) -> String? {
    if case .scalar(let s, _, _) = node, !node.isNull { return s }
    report(.wrongType(what: what(), expected: .string, found: node.kindName), at: node.spanLocation)
    return nil
  }

  public mutating func bool(_ node: YAMLNode, _ what: @autoclosure () -> String) -> Bool? {
    if case .scalar(let s, true, _) = node {
      switch s {
      case "true", "True", "TRUE", "yes", "Yes", "on": return true
      case "false", "False", "FALSE", "no", "No", "off": return false
      default: break
      }
    }
    report(.wrongType(what: what(), expected: .boolean, found: describe(node)), at: node.spanLocation)
    return nil
  }

  /// A duration in seconds (`90s`, `2m`, `1h30m`, `500ms` or a number of seconds), more
  /// than 0 and at most `DurationText.maximumSeconds`.
  public mutating func duration(_ node: YAMLNode, _ what: @autoclosure () -> String) -> Double? {
    guard case .scalar(let text, _, _) = node, !node.isNull, let seconds = DurationText.seconds(text) else {
      report(.invalidDuration(what: what(), found: describe(node)), at: node.spanLocation)
      return nil
    }
    guard seconds > 0 else {
      report(.durationNotPositive(what: what(), found: describe(node)), at: node.spanLocation)
      return nil
    }
    guard seconds <= DurationText.maximumSeconds else {
      report(
        .durationTooLong(what: what(), found: describe(node), maximumSeconds: Int(DurationText.maximumSeconds)),
        at: node.spanLocation)
      return nil
    }
    return seconds
  }

  /// A list of strings, each kept with its location.
  public mutating func stringList(
    _ node: YAMLNode, _ what: @autoclosure () -> String
  ) -> [(String, SourceLocation)]? {
    guard case .sequence(let items, _) = node else {
      if node.isNull { return [] }
      report(.notAList(what: what(), found: node.kindName, scalar: node.string), at: node.spanLocation)
      return nil
    }
    var out: [(String, SourceLocation)] = []
    for item in items {
      if let s = string(item, "each entry of \(what())") { out.append((s, item.spanLocation)) }
    }
    return out
  }

  public mutating func template(_ node: YAMLNode, _ what: @autoclosure () -> String) -> Template? {
    guard let text = string(node, what()) else { return nil }
    do {
      return try Template(parsing: text, at: node.location)
    } catch {
      diagnostics.append(error.diagnostic)
      return nil
    }
  }

  /// Reports keys that are not in `known`, suggesting the closest.
  public mutating func checkKeys(
    _ pairs: [YAMLNode.Pair], known: some Collection<String>, in what: @autoclosure () -> String
  ) {
    for pair in pairs {
      guard let key = pair.key.string else {
        report(.nonStringKey(in: what()), at: pair.key.location)
        continue
      }
      if !known.contains(key) {
        report(
          .unknownKey(key: key, in: what(), suggestion: Suggestion.closest(to: key, in: known)), at: pair.key.spanLocation)
      }
    }
  }

  /// Collects the diagnostic of `kind` at `location`.
  public mutating func report(_ kind: ConfigErrorKind, at location: SourceLocation?) {
    diagnostics.append(kind.diagnostic(at: location))
  }

  /// Collects the diagnostic of an executor module's `kind` at `location`.
  public mutating func report(_ kind: any ErrorKind, at location: SourceLocation?) {
    diagnostics.append(kind.diagnostic(at: location))
  }

  private func describe(_ node: YAMLNode) -> String {
    if let s = node.string, !node.isNull { return "`\(s)`" }
    return node.kindName
  }
}
