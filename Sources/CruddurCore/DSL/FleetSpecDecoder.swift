/// Reads an environment's fleet keys (`urls`, `server` + `databases`, `from` + `query`,
/// `per_server`), reporting every contradiction at its key: one kind of target source per
/// environment, never beside `url`.
struct FleetSpecDecoder {
  static let keys = Set(KnownKeys.fleetEnvironment)

  /// nil when the environment declares none of the fleet keys (a single database).
  static func decode(_ fields: [YAMLNode.Pair], environment: String, decoding: inout NodeDecoding)
    -> FleetSpec?
  {
    let present = Dictionary(
      fields.compactMap { pair in pair.key.string.map { ($0, pair) } },
      uniquingKeysWith: { a, _ in a })
    guard present.keys.contains(where: keys.contains) else { return nil }
    let what = "environment `\(environment)`"
    let sources = ["urls", "server", "from"].filter { present[$0] != nil }
    if let url = present["url"], !sources.isEmpty {
      decoding.report(
        .invalidValue(
          what: what,
          requirement: "have either `url` (one database) or `\(sources[0])` (a fleet), not both",
          found: nil, suggestion: nil), at: url.key.spanLocation)
      return nil
    }
    if sources.count > 1, let second = present[sources[1]] {
      decoding.report(
        .invalidValue(
          what: what,
          requirement:
            "take its targets from one of `urls`, `server` + `databases`, `from` + `query`",
          found: "`\(sources[0])` and `\(sources[1])`", suggestion: nil),
        at: second.key.spanLocation)
      return nil
    }
    // A companion key without its source, or with another source's.
    let companions = ["databases": "server", "query": "from"]
    for (companion, owner) in companions.sorted(by: { $0.key < $1.key }) {
      if let pair = present[companion], present[owner] == nil {
        decoding.report(
          .invalidValue(
            what: "`\(companion)`", requirement: "go with `\(owner)` in \(what)", found: nil,
            suggestion: nil),
          at: pair.key.spanLocation)
        return nil
      }
    }
    var perServer: Int?
    if let pair = present["per_server"] {
      guard let text = pair.value.string, let value = Int(text), value >= 1, !pair.value.isNull
      else {
        decoding.report(
          .invalidValue(
            what: "`per_server`", requirement: "be a whole number of connections, at least 1",
            found: pair.value.string.map { "`\($0)`" } ?? pair.value.kindName, suggestion: nil),
          at: pair.value.spanLocation)
        return nil
      }
      perServer = value
    }
    if let pair = present["urls"] {
      guard let items = decoding.stringList(pair.value, "`urls`") else { return nil }
      var templates: [Template] = []
      for (text, location) in items {
        do {
          templates.append(try Template(parsing: text, at: location))
        } catch {
          decoding.diagnostics.append(error.diagnostic)
        }
      }
      if items.isEmpty {
        decoding.report(
          .invalidValue(
            what: "`urls`", requirement: "list at least one URL", found: nil, suggestion: nil),
          at: pair.value.spanLocation)
        return nil
      }
      return FleetSpec(source: .urls(templates), perServer: perServer)
    }
    if let pair = present["server"] {
      var servers: [Template] = []
      if case .sequence = pair.value {
        for (text, location) in decoding.stringList(pair.value, "`server`") ?? [] {
          do { servers.append(try Template(parsing: text, at: location)) } catch {
            decoding.diagnostics.append(error.diagnostic)
          }
        }
      } else if let one = decoding.template(pair.value, "`server`") {
        servers = [one]
      }
      guard let patternPair = present["databases"] else {
        decoding.report(
          .invalidValue(
            what: "`server`",
            requirement: "go with `databases: \"PATTERN\"` (which of its databases)", found: nil,
            suggestion: nil), at: pair.key.spanLocation)
        return nil
      }
      guard let pattern = decoding.string(patternPair.value, "`databases`") else { return nil }
      if pattern.isEmpty {
        decoding.report(
          .invalidValue(
            what: "`databases`", requirement: "be a pattern such as `tenant_*`",
            found: "an empty string", suggestion: nil),
          at: patternPair.value.spanLocation)
        return nil
      }
      guard !servers.isEmpty else { return nil }
      return FleetSpec(
        source: .pattern(servers: servers, databases: DatabasePattern(pattern)),
        perServer: perServer)
    }
    if let pair = present["from"] {
      guard let environmentName = decoding.string(pair.value, "`from`") else { return nil }
      guard let queryPair = present["query"] else {
        decoding.report(
          .invalidValue(
            what: "`from`", requirement: "go with `query:` (the SQL that returns the targets)",
            found: nil,
            suggestion: nil), at: pair.key.spanLocation)
        return nil
      }
      guard let sql = decoding.string(queryPair.value, "`query`") else { return nil }
      return FleetSpec(
        source: .query(environment: environmentName, sql: sql, at: pair.value.spanLocation),
        perServer: perServer)
    }
    // Only `per_server` (or only companions, reported above): no source.
    if let pair = present["per_server"] {
      decoding.report(
        .invalidValue(
          what: "`per_server`", requirement: "go with a fleet's `urls`, `server` or `from`",
          found: nil, suggestion: nil),
        at: pair.key.spanLocation)
    }
    return nil
  }

  /// `from:` names another environment that has one `url` (a control database).
  static func checkReferences(_ environments: [EnvironmentSpec], decoding: inout NodeDecoding) {
    for environment in environments {
      guard case .query(let name, _, let location)? = environment.fleet?.source else { continue }
      guard let control = environments.first(where: { $0.name == name }) else {
        let names = environments.map(\.name).filter { $0 != environment.name }
        decoding.report(
          .invalidValue(
            what: "`from`",
            requirement:
              "name another environment (\(names.map { "`\($0)`" }.joined(separator: ", ")))",
            found: "`\(name)`", suggestion: Suggestion.closest(to: name, in: names)), at: location)
        continue
      }
      if control.name == environment.name || control.fleet != nil {
        decoding.report(
          .invalidValue(
            what: "`from`",
            requirement: "name an environment with one `url` (the control database)",
            found:
              "`\(name)`, \(control.name == environment.name ? "this environment" : "a fleet")",
            suggestion: nil),
          at: location)
      }
    }
  }
}
