import Foundation

/// A JSON value of any shape: how a saved plan holds a step's `Prepared` value, whose type
/// only its executor knows. The executor decodes it (`PreparedAction.decodingPrepared`).
public enum JSONTree: Codable, Sendable, Hashable {
  case null
  case bool(Bool)
  case integer(Int)
  case double(Double)
  case string(String)
  case array([JSONTree])
  case object([String: JSONTree])

  struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  public init(from decoder: any Decoder) throws {
    if let keyed = try? decoder.container(keyedBy: Key.self) {
      var object: [String: JSONTree] = [:]
      for key in keyed.allKeys {
        object[key.stringValue] = try keyed.decode(JSONTree.self, forKey: key)
      }
      self = .object(object)
    } else if var items = try? decoder.unkeyedContainer() {
      var array: [JSONTree] = []
      while !items.isAtEnd { array.append(try items.decode(JSONTree.self)) }
      self = .array(array)
    } else {
      let single = try decoder.singleValueContainer()
      if single.decodeNil() {
        self = .null
      } else if let value = try? single.decode(Bool.self) {
        self = .bool(value)
      } else if let value = try? single.decode(Int.self) {
        self = .integer(value)
      } else if let value = try? single.decode(Double.self) {
        self = .double(value)
      } else {
        self = .string(try single.decode(String.self))
      }
    }
  }

  public func encode(to encoder: any Encoder) throws {
    switch self {
    case .object(let object):
      var keyed = encoder.container(keyedBy: Key.self)
      for (key, value) in object { try keyed.encode(value, forKey: Key(stringValue: key)) }
    case .array(let array):
      var items = encoder.unkeyedContainer()
      for value in array { try items.encode(value) }
    case .null:
      var single = encoder.singleValueContainer()
      try single.encodeNil()
    case .bool(let value):
      var single = encoder.singleValueContainer()
      try single.encode(value)
    case .integer(let value):
      var single = encoder.singleValueContainer()
      try single.encode(value)
    case .double(let value):
      var single = encoder.singleValueContainer()
      try single.encode(value)
    case .string(let value):
      var single = encoder.singleValueContainer()
      try single.encode(value)
    }
  }

  /// The tree of a JSON document.
  public init(json data: Data) throws { self = try JSONDecoder().decode(JSONTree.self, from: data) }

  /// The document, keys sorted.
  public func json() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(self)
  }

  /// Where this tree and `other` first differ (`contents.sha256`), or nil when they are equal.
  public func firstDifference(from other: JSONTree, at path: String = "") -> String? {
    switch (self, other) {
    case (.object(let mine), .object(let theirs)):
      for key in Set(mine.keys).union(theirs.keys).sorted() {
        let here = path.isEmpty ? key : path + "." + key
        guard let a = mine[key], let b = theirs[key] else { return here }
        if let found = a.firstDifference(from: b, at: here) { return found }
      }
      return nil
    case (.array(let mine), .array(let theirs)):
      guard mine.count == theirs.count else { return path.isEmpty ? "(the value)" : path }
      for (index, (a, b)) in zip(mine, theirs).enumerated() {
        if let found = a.firstDifference(from: b, at: "\(path)[\(index)]") { return found }
      }
      return nil
    default:
      return self == other ? nil : (path.isEmpty ? "(the value)" : path)
    }
  }
}
