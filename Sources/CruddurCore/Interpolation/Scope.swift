/// Where a variable's value came from, in precedence order: a case earlier in the list
/// wins over every later one. Comparing origins is comparing precedence; a typo cannot
/// silently change it, as a string could.
public enum VariableOrigin: Int, Comparable, Sendable, CustomStringConvertible {
  /// Words bound to a task's `params` on the command line.
  case parameters
  case set
  case environment
  case taskVars
  /// A task's `vars: { X: { sh: ... } }`, computed when the step starts.
  case computedTaskVars
  case environmentVars
  case vars
  case dotenv

  public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

  /// As messages name it.
  public var description: String {
    switch self {
    case .parameters: "the command line's parameters"
    case .set: "--set"
    case .environment: "the environment"
    case .taskVars: "the task's vars"
    case .computedTaskVars: "the task's computed vars"
    case .environmentVars: "the environment's vars"
    case .vars: "the top-level vars"
    case .dotenv: "dotenv"
    }
  }

  /// Given on the command line or by the calling environment, above anything a file says.
  public var isFromOutside: Bool { self <= .environment }
}

/// Variable layers, highest precedence first (`VariableOrigin`'s order). Each value
/// remembers which layer gave it.
public struct Scope: Sendable {
  public struct Layer: Sendable {
    public var origin: VariableOrigin
    public var values: [String: String]
    public init(_ origin: VariableOrigin, _ values: [String: String]) {
      self.origin = origin
      self.values = values
    }
  }

  public private(set) var layers: [Layer]
  /// The layers are kept in precedence order whatever order they are given in.
  public init(_ layers: [Layer] = []) { self.layers = layers.sorted { $0.origin < $1.origin } }

  public func lookup(_ name: String) -> (value: String, origin: VariableOrigin)? {
    for layer in layers { if let v = layer.values[name] { return (v, layer.origin) } }
    return nil
  }

  public func value(_ name: String) -> String? { lookup(name)?.value }

  /// A copy with `layer` in its place by precedence (after layers of the same origin).
  public func inserting(_ layer: Layer) -> Scope {
    var copy = self
    let index = copy.layers.firstIndex { $0.origin > layer.origin } ?? copy.layers.endIndex
    copy.layers.insert(layer, at: index)
    return copy
  }

  /// Every visible variable, each from its highest layer.
  public var flattened: [String: String] {
    var out: [String: String] = [:]
    for layer in layers.reversed() { out.merge(layer.values) { _, new in new } }
    return out
  }
}
