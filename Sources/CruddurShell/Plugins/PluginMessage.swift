import CruddurCore
import Foundation

/// The JSON an external executor receives on stdin: one object, then end of file.
struct PluginRequest: Encodable {
  /// Bumped only for incompatible changes; plugins should refuse versions they do not know.
  var `protocol` = 1
  /// `describe` (say what a run would do, touching nothing) or `run`.
  var request: String
  var task: String
  var with: JSONValue
  var environment: Environment
  var variables: [String: String]

  struct Environment: Encodable {
    var name: String
    /// The full URL, password included: it travels on stdin, never on a command line.
    var url: String
    var isProtected: Bool
    var isEmbedded: Bool
    enum CodingKeys: String, CodingKey {
      case name, url
      case isProtected = "protected"
      case isEmbedded = "embedded"
    }
  }
}

/// The answer to `describe`: the last JSON line on stdout.
struct PluginDescription: Decodable {
  var summary: String?
  var details: [String]?
  var destructive: Bool?
  var error: String?
}

/// The answer to `run`: the last JSON line on stdout (other lines are shown as output).
struct PluginResult: Decodable {
  var ok: Bool
  var note: String?
  var error: String?
}

/// A `with:` mapping as JSON. Plain YAML scalars that read as booleans or numbers become
/// JSON booleans and numbers; everything else stays a string.
enum JSONValue: Encodable, Sendable {
  case string(String)
  case number(Double)
  case bool(Bool)
  case null
  case array([JSONValue])
  case object([(String, JSONValue)])

  init(_ node: YAMLNode) {
    switch node {
    case .scalar(let text, let isPlain, _):
      if node.isNull {
        self = .null
      } else if isPlain, text == "true" || text == "false" {
        self = .bool(text == "true")
      } else if isPlain, let number = Double(text), text.first?.isNumber == true || text.first == "-" {
        self = .number(number)
      } else {
        self = .string(text)
      }
    case .sequence(let items, _): self = .array(items.map(JSONValue.init))
    case .mapping(let pairs, _): self = .object(pairs.map { ($0.key.string ?? "", JSONValue($0.value)) })
    }
  }

  struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  func encode(to encoder: any Encoder) throws {
    switch self {
    case .string(let s):
      var c = encoder.singleValueContainer()
      try c.encode(s)
    case .number(let n):
      var c = encoder.singleValueContainer()
      if n == n.rounded(), abs(n) < 1e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
    case .bool(let b):
      var c = encoder.singleValueContainer()
      try c.encode(b)
    case .null:
      var c = encoder.singleValueContainer()
      try c.encodeNil()
    case .array(let items):
      var c = encoder.unkeyedContainer()
      for item in items { try c.encode(item) }
    case .object(let pairs):
      var c = encoder.container(keyedBy: Key.self)
      for (key, value) in pairs { try c.encode(value, forKey: Key(stringValue: key)) }
    }
  }
}
