import Foundation

/// How cruddur reads a connection string on its own, without libpq: enough to mask the
/// password in whatever shape it is written and to refuse a URL whose password libpq would
/// read differently from what its author meant. Plans use it, so they never load libpq.
public enum ConnectionURLShape: Sendable, Equatable {
  /// `postgres[ql]://user:password@host:port/database?...`
  case url(ConnectionURLParts)
  /// `host=... user=... password='...'`
  case keywords(ConnectionURLParts)
  /// An unencoded `@`, `:`, `/` or space in the user or password, or a bad `%` escape:
  /// libpq would split it elsewhere than its author meant.
  case ambiguous(String)
  case unparsable(String)

  public var parts: ConnectionURLParts? {
    switch self {
    case .url(let parts), .keywords(let parts): return parts
    case .ambiguous, .unparsable: return nil
    }
  }

  public static func read(_ text: String) -> ConnectionURLShape {
    let trimmed = Whitespace.trimmed(Substring(text))
    if trimmed.isEmpty { return .unparsable("it is empty") }
    for scheme in ["postgresql://", "postgres://"] where trimmed.hasPrefix(scheme) {
      return readURL(String(trimmed.dropFirst(scheme.count)))
    }
    if trimmed.contains("://") { return .unparsable("its scheme is not postgresql:// or postgres://") }
    if trimmed.contains("=") { return readKeywords(trimmed) }
    return .unparsable("it is neither a postgresql:// URL nor key=value pairs")
  }

  /// `joined(separator: ",")`, which on `[String]` is generic at run time (a conformance
  /// lookup over the whole binary).
  static func commaJoined(_ items: [String]) -> String {
    var out = ""
    for (index, item) in items.enumerated() {
      if index > 0 { out.append(",") }
      out.append(item)
    }
    return out
  }

  private static func readURL(_ rest: String) -> ConnectionURLShape {
    if rest.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
      return .ambiguous("it contains a space")
    }
    let beforeQuery = rest.prefix { $0 != "?" && $0 != "#" }
    let authority = beforeQuery.prefix { $0 != "/" }
    let path = beforeQuery.dropFirst(authority.count)
    // An `@` after the first `/` means the password (or user) held an unencoded `/`.
    if path.contains("@") { return .ambiguous("an `@` follows a `/`") }
    var parts = ConnectionURLParts()
    var hostPart = Substring(authority)
    let ats = authority.filter { $0 == "@" }.count
    if ats > 1 { return .ambiguous("it has more than one `@`") }
    if let at = authority.firstIndex(of: "@") {
      let userinfo = authority[..<at]
      hostPart = authority[authority.index(after: at)...]
      let pieces = userinfo.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
      if pieces.count > 2 { return .ambiguous("the user and password hold more than one `:`") }
      guard let user = percentDecoded(pieces[0]) else { return .ambiguous("a `%` is not followed by two hex digits") }
      parts.user = user.isEmpty ? nil : user
      if pieces.count == 2 {
        guard let password = percentDecoded(pieces[1]) else {
          return .ambiguous("a `%` is not followed by two hex digits")
        }
        parts.password = password
        parts.rawPassword = String(pieces[1])
      }
    }
    // host[:port][,host[:port]...]; an IPv6 host is bracketed.
    var hosts: [String] = []
    var ports: [String] = []
    for entry in hostPart.split(separator: ",", omittingEmptySubsequences: false) {
      var host = Substring(entry)
      var port: Substring?
      if host.hasPrefix("[") {
        guard let close = host.firstIndex(of: "]") else { return .unparsable("an IPv6 host has no `]`") }
        let after = host[host.index(after: close)...]
        if after.hasPrefix(":") { port = after.dropFirst() } else if !after.isEmpty { return .unparsable("text after `]`") }
        host = host[host.index(after: host.startIndex)..<close]
      } else if let colon = host.lastIndex(of: ":") {
        port = host[host.index(after: colon)...]
        host = host[..<colon]
      }
      if let port {
        guard !port.isEmpty, port.allSatisfy(\.isASCII), port.allSatisfy(\.isNumber), let value = Int(port),
          (1...65535).contains(value)
        else { return .unparsable("its port `\(port)` is not a number from 1 to 65535") }
        ports.append(String(port))
      }
      guard let decoded = percentDecoded(host) else { return .ambiguous("a `%` is not followed by two hex digits") }
      if !decoded.isEmpty { hosts.append(decoded) }
    }
    parts.host = hosts.isEmpty ? nil : commaJoined(hosts)
    parts.port = ports.isEmpty ? nil : commaJoined(ports)
    let database = path.dropFirst()
    if !database.isEmpty {
      guard let decoded = percentDecoded(database) else {
        return .unparsable("a `%` in the database name is not followed by two hex digits")
      }
      parts.database = decoded
    }
    return .url(parts)
  }

  private static func readKeywords(_ text: String) -> ConnectionURLShape {
    var parts = ConnectionURLParts()
    var rest = Substring(text)
    while true {
      rest = rest.drop { $0 == " " || $0 == "\t" }
      if rest.isEmpty { break }
      guard let eq = rest.firstIndex(of: "=") else { return .unparsable("`\(rest.prefix(20))` has no `=`") }
      let key = Whitespace.trimmed(rest[..<eq])
      guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0 == "_" }) else {
        return .unparsable("`\(key.prefix(20))` is not a keyword")
      }
      rest = rest[rest.index(after: eq)...].drop { $0 == " " || $0 == "\t" }
      var value = ""
      var raw = ""
      if rest.first == "'" {
        rest = rest.dropFirst()
        var closed = false
        while let c = rest.popFirst() {
          raw.append(c)
          if c == "\\", let next = rest.popFirst() {
            raw.append(next)
            value.append(next)
          } else if c == "'" {
            raw.removeLast()
            closed = true
            break
          } else {
            value.append(c)
          }
        }
        if !closed { return .unparsable("a quoted value is not closed") }
      } else {
        while let c = rest.first, c != " ", c != "\t" {
          rest = rest.dropFirst()
          if c == "\\", let next = rest.popFirst() {
            value.append(next)
            raw.append(c)
            raw.append(next)
          } else {
            value.append(c)
            raw.append(c)
          }
        }
      }
      switch key {
      case "user": parts.user = value
      case "password":
        parts.password = value
        parts.rawPassword = raw
      case "host", "hostaddr": parts.host = value
      case "port":
        guard value.allSatisfy(\.isNumber), let port = Int(value), (1...65535).contains(port) else {
          return .unparsable("its port `\(value)` is not a number from 1 to 65535")
        }
        parts.port = value
      case "dbname": parts.database = value
      default: break
      }
    }
    return .keywords(parts)
  }

  /// `%XX` decoded; nil when a `%` is not followed by two hex digits.
  static func percentDecoded(_ text: Substring) -> String? {
    guard text.contains("%") else { return String(text) }
    var bytes: [UInt8] = []
    var utf8 = Array(text.utf8)[...]
    while let byte = utf8.popFirst() {
      if byte == UInt8(ascii: "%") {
        guard utf8.count >= 2, let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) else {
          return nil
        }
        bytes.append(value)
        utf8 = utf8.dropFirst(2)
      } else {
        bytes.append(byte)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

/// The fields of a connection string cruddur needs without libpq; nil where not written.
public struct ConnectionURLParts: Sendable, Equatable {
  public var user: String?
  public var password: String?
  /// The password as written (percent-encoded or quoted), to find it in the text.
  public var rawPassword: String?
  public var host: String?
  public var port: String?
  public var database: String?
  public init() {}
}
