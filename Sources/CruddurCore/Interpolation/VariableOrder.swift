/// The order to render a `vars:` mapping in when its values refer to each other
/// (`GREETING: hello ${WHO}` beside `WHO: world`): each after the ones it uses, ties by
/// name so the order never depends on a dictionary's. A cycle is an error showing it.
public enum VariableOrder {
  public static func order(_ templates: [String: Template], in what: String) throws(ConfigError) -> [String] {
    var order: [String] = []
    var done: Set<String> = []
    var path: [String] = []

    func visit(_ name: String) throws(ConfigError) {
      if done.contains(name) { return }
      if let start = path.firstIndex(of: name) {
        let cycle = path[start...] + [name]
        let template = templates[path[start]]!
        let values = cycle.dropLast().compactMap { name in
          templates[name].map { ConfigErrorKind.Place("`\(name)` is `\($0.source)`", at: $0.location) }
        }
        throw ConfigError(.variableCycle(in: what, cycle: Array(cycle), values: values), at: template.location)
      }
      path.append(name)
      for used in Set(templates[name]?.variableNames ?? []).sorted() where used != name && templates[used] != nil {
        try visit(used)
      }
      path.removeLast()
      done.insert(name)
      order.append(name)
    }

    for name in templates.keys.sorted() { try visit(name) }
    return order
  }
}
