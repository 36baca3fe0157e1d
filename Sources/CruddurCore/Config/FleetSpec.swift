/// An environment that stands for many databases (a fleet): where its targets come from,
/// read when a run starts, and how many connections one server may get from cruddur.
public struct FleetSpec: Sendable {
  public enum Source: Sendable {
    /// `urls: [...]`: the targets, written out.
    case urls([Template])
    /// `server: URL` (or a list of them) and `databases: "tenant_*"`: every database of
    /// each server whose name matches, read from `pg_database` at run start.
    case pattern(servers: [Template], databases: DatabasePattern)
    /// `from: ENV` and `query: SQL`: a control database's answer, one target a row (a URL,
    /// or a database name on `from`'s server).
    case query(environment: String, sql: String, at: SourceLocation)
  }

  public var source: Source
  /// `per_server:`: connections at most on one server (host and port), counting every one
  /// cruddur opens (the run lock's too); nil for the default read from `max_connections`.
  public var perServer: Int?

  public init(source: Source, perServer: Int? = nil) {
    self.source = source
    self.perServer = perServer
  }

  /// How `cruddur envs` names the kind.
  public var kindName: String {
    switch source {
    case .urls(let list): return "fleet: \(list.count) URL\(list.count == 1 ? "" : "s")"
    case .pattern(let servers, let pattern):
      return
        "fleet: databases `\(pattern.text)` on \(servers.count) server\(servers.count == 1 ? "" : "s")"
    case .query(let environment, _, _): return "fleet: query on `\(environment)`"
    }
  }
}

/// `tenant_*`: a shell-style pattern over database names (`*` any run, `?` one
/// character, anything else itself), turned into a `LIKE` pattern for `pg_database`.
public struct DatabasePattern: Sendable, Hashable {
  public var text: String
  public init(_ text: String) { self.text = text }

  /// `tenant\_%` for `tenant_*`: LIKE's own wildcards in the name are escaped.
  public var likePattern: String {
    var out = ""
    for character in text {
      switch character {
      case "*": out += "%"
      case "?": out += "_"
      case "%", "_", "\\": out += "\\" + String(character)
      default: out.append(character)
      }
    }
    return out
  }

  /// The same match, in Swift, for tests and for names a query returned.
  public func matches(_ name: String) -> Bool {
    func match(_ p: Substring, _ s: Substring) -> Bool {
      guard let first = p.first else { return s.isEmpty }
      switch first {
      case "*":
        var rest = s
        while true {
          if match(p.dropFirst(), rest) { return true }
          guard !rest.isEmpty else { return false }
          rest = rest.dropFirst()
        }
      case "?": return !s.isEmpty && match(p.dropFirst(), s.dropFirst())
      default: return s.first == first && match(p.dropFirst(), s.dropFirst())
      }
    }
    return match(Substring(text), Substring(name))
  }
}
