/// Variable layers, highest precedence first: `--set`, process environment, task `vars`,
/// environment `vars`, top `vars`, dotenv. Each value remembers which layer gave it.
public struct Scope: Sendable {
  public struct Layer: Sendable {
    public var origin: String
    public var values: [String: String]
    public init(_ origin: String, _ values: [String: String]) {
      self.origin = origin
      self.values = values
    }
  }

  public var layers: [Layer]
  public init(_ layers: [Layer] = []) { self.layers = layers }

  public func lookup(_ name: String) -> (value: String, origin: String)? {
    for layer in layers { if let v = layer.values[name] { return (v, layer.origin) } }
    return nil
  }

  public func value(_ name: String) -> String? { lookup(name)?.value }

  /// A copy with `layer` inserted just above the first layer named `below`.
  public func inserting(_ layer: Layer, above below: String) -> Scope {
    var copy = self
    let index = copy.layers.firstIndex { $0.origin == below } ?? copy.layers.endIndex
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
