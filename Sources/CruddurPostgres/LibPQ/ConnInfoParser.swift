internal import CLibPQ

/// libpq's connection-string grammar in Swift: `postgresql://` / `postgres://` URIs and
/// `key=value` strings, with the results, the keyword order and the error messages of
/// `PQconninfoParse` (libpq 15's `conninfo_parse` and `conninfo_uri_parse_options`).
/// Why not call libpq: loading it (28 shared libraries) costs more than all of `plan`, and
/// a plan never connects. `ConnInfoParserTests` holds it to libpq's own parse on many shapes.
enum ConnInfoParser {
  /// libpq 15's options (`PQconndefaults`), in its order: `PQconninfoParse` returns them so.
  static let keywords = [
    "service", "user", "password", "passfile", "channel_binding", "connect_timeout", "dbname", "host", "hostaddr",
    "port", "client_encoding", "options", "application_name", "fallback_application_name", "keepalives",
    "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout", "sslmode", "sslcompression",
    "sslcert", "sslkey", "sslpassword", "sslrootcert", "sslcrl", "sslcrldir", "sslsni", "requirepeer",
    "ssl_min_protocol_version", "ssl_max_protocol_version", "gssencmode", "krbsrvname", "gsslib", "replication",
    "target_session_attrs",
  ]
  private static let positions: [String: Int] = Dictionary(
    uniqueKeysWithValues: keywords.enumerated().map { ($0.element, $0.offset) })

  /// libpq's error text (one line, no trailing newline) for a string it refuses.
  struct Failure: Error, Equatable {
    var message: String
  }

  /// The options the string sets, in libpq's keyword order.
  static func parse(_ text: String) throws(Failure) -> [(key: String, value: String)] {
    var values = [String?](repeating: nil, count: keywords.count)
    let bytes = Array(text.utf8)
    if let prefix = uriPrefixLength(bytes) {
      try parseURI(bytes, from: prefix, original: text, into: &values)
    } else {
      try parseKeywordValue(bytes, into: &values)
    }
    return values.enumerated().compactMap { index, value in value.map { (keywords[index], $0) } }
  }

  private static func uriPrefixLength(_ bytes: [UInt8]) -> Int? {
    for prefix in ["postgresql://", "postgres://"] where bytes.starts(with: prefix.utf8) { return prefix.utf8.count }
    return nil
  }

  // MARK: key=value

  /// C's isspace in the C locale.
  private static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || (9...13).contains(byte) }

  private static func parseKeywordValue(_ b: [UInt8], into values: inout [String?]) throws(Failure) {
    var i = 0
    func at(_ index: Int) -> UInt8 { index < b.count ? b[index] : 0 }
    while at(i) != 0 {
      if isSpace(at(i)) {
        i += 1
        continue
      }
      // The name ends at `=` or at blanks, which may stand before the `=`.
      let nameStart = i
      while at(i) != 0, at(i) != UInt8(ascii: "="), !isSpace(at(i)) { i += 1 }
      let nameEnd = i
      while at(i) != 0, isSpace(at(i)) { i += 1 }
      let name = String(decoding: b[nameStart..<nameEnd], as: UTF8.self)
      guard at(i) == UInt8(ascii: "=") else {
        throw Failure(message: "missing \"=\" after \"\(name)\" in connection info string")
      }
      i += 1
      while at(i) != 0, isSpace(at(i)) { i += 1 }
      var value: [UInt8] = []
      if at(i) != UInt8(ascii: "'") {
        while at(i) != 0 {
          if isSpace(at(i)) {
            i += 1
            break
          }
          if at(i) == UInt8(ascii: "\\") {
            i += 1
            if at(i) != 0 {
              value.append(at(i))
              i += 1
            }
          } else {
            value.append(at(i))
            i += 1
          }
        }
      } else {
        i += 1
        while true {
          guard at(i) != 0 else { throw Failure(message: "unterminated quoted string in connection info string") }
          if at(i) == UInt8(ascii: "\\") {
            i += 1
            if at(i) != 0 {
              value.append(at(i))
              i += 1
            }
            continue
          }
          if at(i) == UInt8(ascii: "'") {
            i += 1
            break
          }
          value.append(at(i))
          i += 1
        }
      }
      try store(name, String(decoding: value, as: UTF8.self), into: &values)
    }
  }

  // MARK: URI

  private static func parseURI(_ b: [UInt8], from start: Int, original: String, into values: inout [String?])
    throws(Failure)
  {
    func at(_ index: Int) -> UInt8 { index < b.count ? b[index] : 0 }
    func text(_ range: Range<Int>) -> [UInt8] { Array(b[range]) }
    var p = start
    // Look ahead for user credentials: an `@` before any `/`.
    while at(p) != 0, at(p) != UInt8(ascii: "@"), at(p) != UInt8(ascii: "/") { p += 1 }
    if at(p) == UInt8(ascii: "@") {
      var q = start
      while at(q) != UInt8(ascii: ":"), at(q) != UInt8(ascii: "@") { q += 1 }
      if q > start { try store("user", decoding: text(start..<q), into: &values) }
      if at(q) == UInt8(ascii: ":") {
        let passwordStart = q + 1
        while at(q) != UInt8(ascii: "@") { q += 1 }
        if q > passwordStart { try store("password", decoding: text(passwordStart..<q), into: &values) }
      }
      p = q + 1
    } else {
      p = start
    }

    // host[:port] pairs separated by commas; host may be a bracketed IPv6 address.
    var hosts: [UInt8] = []
    var ports: [UInt8] = []
    var terminator: UInt8 = 0
    while true {
      let hostRange: Range<Int>
      if at(p) == UInt8(ascii: "[") {
        p += 1
        let hostStart = p
        while at(p) != 0, at(p) != UInt8(ascii: "]") { p += 1 }
        guard at(p) != 0 else {
          throw Failure(
            message: "end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"\(original)\"")
        }
        guard p != hostStart else { throw Failure(message: "IPv6 host address may not be empty in URI: \"\(original)\"") }
        hostRange = hostStart..<p
        p += 1
        let next = at(p)
        if next != 0, next != UInt8(ascii: ":"), next != UInt8(ascii: "/"), next != UInt8(ascii: "?"),
          next != UInt8(ascii: ",")
        {
          throw Failure(
            message: "unexpected character \"\(String(decoding: [next], as: UTF8.self))\" at position \(p + 1) in URI "
              + "(expected \":\" or \"/\"): \"\(original)\"")
        }
      } else {
        let hostStart = p
        while at(p) != 0, !":/?,".utf8.contains(at(p)) { p += 1 }
        hostRange = hostStart..<p
      }
      terminator = at(p)
      hosts += text(hostRange)
      if terminator == UInt8(ascii: ":") {
        p += 1
        let portStart = p
        while at(p) != 0, !"/?,".utf8.contains(at(p)) { p += 1 }
        terminator = at(p)
        ports += text(portStart..<p)
      }
      guard terminator == UInt8(ascii: ",") else { break }
      p += 1
      hosts.append(UInt8(ascii: ","))
      ports.append(UInt8(ascii: ","))
    }
    if !hosts.isEmpty { try store("host", decoding: hosts, into: &values) }
    if !ports.isEmpty { try store("port", decoding: ports, into: &values) }

    if terminator != 0, terminator != UInt8(ascii: "?") {
      p += 1
      let nameStart = p
      while at(p) != 0, at(p) != UInt8(ascii: "?") { p += 1 }
      terminator = at(p)
      // An empty name is not set, so that PGDATABASE still applies.
      if p > nameStart { try store("dbname", decoding: text(nameStart..<p), into: &values) }
    }
    if terminator != 0 {
      try parseParameters(text((p + 1)..<b.count), into: &values)
    }
  }

  private static func parseParameters(_ b: [UInt8], into values: inout [String?]) throws(Failure) {
    var i = 0
    while i < b.count {
      let keyStart = i
      var keyEnd: Int?
      var valueStart = 0
      var end = i
      while true {
        if end < b.count, b[end] == UInt8(ascii: "=") {
          if keyEnd != nil {
            throw Failure(
              message: "extra key/value separator \"=\" in URI query parameter: \"\(String(decoding: b[keyStart..<keyEnd!], as: UTF8.self))\"")
          }
          keyEnd = end
          valueStart = end + 1
          end += 1
        } else if end >= b.count || b[end] == UInt8(ascii: "&") {
          guard let keyEnd else {
            throw Failure(
              message: "missing key/value separator \"=\" in URI query parameter: \"\(String(decoding: b[keyStart..<end], as: UTF8.self))\"")
          }
          var key = try decode(Array(b[keyStart..<keyEnd]))
          var value = try decode(Array(b[valueStart..<end]))
          // libpq's JDBC compatibility.
          if key == "ssl", value == "true" {
            key = "sslmode"
            value = "require"
          }
          let storedKey = key == "requiressl" ? "sslmode" : key
          guard positions[storedKey] != nil else { throw Failure(message: "invalid URI query parameter: \"\(key)\"") }
          try store(key, value, into: &values)
          i = end + 1
          break
        } else {
          end += 1
        }
      }
    }
  }

  // MARK: storing

  private static func store(_ key: String, decoding raw: [UInt8], into values: inout [String?]) throws(Failure) {
    try store(key, decode(raw), into: &values)
  }

  private static func store(_ key: String, _ value: String, into values: inout [String?]) throws(Failure) {
    var key = key
    var value = value
    // libpq's old spelling: requiressl=1 is sslmode=require, anything else sslmode=prefer.
    if key == "requiressl" {
      key = "sslmode"
      value = value.utf8.first == UInt8(ascii: "1") ? "require" : "prefer"
    }
    guard let index = positions[key] else { throw Failure(message: "invalid connection option \"\(key)\"") }
    values[index] = value
  }

  /// Percent-decoding as libpq does it: `%XY` only (no `+` for space), and never `%00`.
  private static func decode(_ raw: [UInt8]) throws(Failure) -> String {
    guard raw.contains(UInt8(ascii: "%")) else { return String(decoding: raw, as: UTF8.self) }
    func hex(_ byte: UInt8) -> UInt8? {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
      default: nil
      }
    }
    let original = String(decoding: raw, as: UTF8.self)
    var out: [UInt8] = []
    var i = 0
    while i < raw.count {
      guard raw[i] == UInt8(ascii: "%") else {
        out.append(raw[i])
        i += 1
        continue
      }
      guard i + 2 < raw.count, let high = hex(raw[i + 1]), let low = hex(raw[i + 2]) else {
        throw Failure(message: "invalid percent-encoded token: \"\(original)\"")
      }
      let byte = high << 4 | low
      guard byte != 0 else { throw Failure(message: "forbidden value %00 in percent-encoded value: \"\(original)\"") }
      out.append(byte)
      i += 3
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// libpq's own `PQconninfoParse`, the oracle `ConnInfoParserTests` compares `parse` with.
  static func libpqParse(_ text: String) throws -> Result<[(key: String, value: String)], Failure> {
    try LibPQ.load()
    var errorMessage: UnsafeMutablePointer<CChar>?
    guard let parsed = PQconninfoParse(text, &errorMessage) else {
      let message = errorMessage.map { String(cString: $0) } ?? "out of memory"
      if let errorMessage { PQfreemem(errorMessage) }
      return .failure(Failure(message: message.trimmingTrailingNewlines()))
    }
    defer { PQconninfoFree(parsed) }
    var options: [(key: String, value: String)] = []
    var cursor = parsed
    while let keyword = cursor.pointee.keyword {
      if let value = cursor.pointee.val { options.append((String(cString: keyword), String(cString: value))) }
      cursor += 1
    }
    return .success(options)
  }
}
