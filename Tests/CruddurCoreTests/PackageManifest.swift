import Foundation

/// The targets of a Package.swift, read from its text: each `.target(`, `.executableTarget(`,
/// `.testTarget(`, `.systemLibrary(` … call with its `name:`, `path:` and the names in its
/// `dependencies:` list (a product's module is taken to be named like the product, as all
/// of ours are). Comments and string contents are skipped when looking for calls.
struct PackageManifest {
  struct Target {
    var kind: String
    var name: String
    var path: String?
    var dependencies: [String]
  }

  struct Unreadable: Error, CustomStringConvertible {
    var description: String
  }

  var targets: [Target] = []

  init(contentsOf path: String) throws {
    try self.init(text: String(contentsOfFile: path, encoding: .utf8))
  }

  init(text: String) throws {
    let code = Array(SwiftCode.blanking(text, strings: false))
    let kinds = ["target", "executableTarget", "testTarget", "systemLibrary", "binaryTarget", "macro", "plugin"]
    var i = 0
    while i < code.count {
      guard code[i] == ".", let kind = kinds.first(where: { Self.starts(code, at: i + 1, with: $0 + "(") }) else {
        i += Self.skipString(code, at: i)
        continue
      }
      let open = i + 1 + kind.count
      let close = try Self.matching(code, open)
      let body = Array(code[(open + 1)..<close])
      guard let name = Self.argument("name", in: body).flatMap(Self.stringLiteral) else {
        throw Unreadable(description: "a .\(kind)( without a literal name: \(String(body.prefix(60)))")
      }
      var dependencies: [String] = []
      if let list = Self.argument("dependencies", in: body) {
        guard list.first == "[", list.last == "]" else {
          throw Unreadable(description: "the dependencies of \(name) are not a literal list")
        }
        for item in Self.split(Array(list.dropFirst().dropLast())) {
          let item = String(item).trimmingCharacters(in: .whitespacesAndNewlines)
          if let literal = Self.stringLiteral(item) {
            dependencies.append(literal)
          } else if let call = ["product", "target", "byName"].first(where: { item.hasPrefix(".\($0)(") }),
            let inner = Optional(Array(item.dropFirst(call.count + 2).dropLast())),
            let name = Self.argument("name", in: inner).flatMap(Self.stringLiteral)
          {
            dependencies.append(name)
          } else {
            throw Unreadable(description: "cannot read the dependency `\(item)` of \(name)")
          }
        }
      }
      let path = Self.argument("path", in: body).flatMap(Self.stringLiteral)
      targets.append(Target(kind: kind, name: name, path: path, dependencies: dependencies))
      i = close + 1
    }
  }

  /// Every module the package graph knows: its targets and the products they use.
  var modules: Set<String> { Set(targets.map(\.name)).union(targets.flatMap(\.dependencies)) }

  static func starts(_ chars: [Character], at i: Int, with prefix: String) -> Bool {
    let p = Array(prefix)
    return i + p.count <= chars.count && Array(chars[i..<(i + p.count)]) == p
  }

  /// The length of the string literal at `i` (1 when `i` is not a quote).
  static func skipString(_ chars: [Character], at i: Int) -> Int {
    guard chars[i] == "\"" else { return 1 }
    var j = i + 1
    while j < chars.count, chars[j] != "\"" {
      j += chars[j] == "\\" ? 2 : 1
    }
    return j - i + 1
  }

  /// The index of the bracket closing the one at `open`.
  static func matching(_ chars: [Character], _ open: Int) throws -> Int {
    var depth = 0
    var i = open
    while i < chars.count {
      switch chars[i] {
      case "(", "[", "{": depth += 1
      case ")", "]", "}":
        depth -= 1
        if depth == 0 { return i }
      case "\"":
        i += skipString(chars, at: i) - 1
      default: break
      }
      i += 1
    }
    throw Unreadable(description: "unbalanced brackets")
  }

  /// The comma-separated items of a call's or list's body, at its own depth.
  static func split(_ chars: [Character]) -> [String] {
    var items: [String] = []
    var depth = 0
    var current: [Character] = []
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if c == "\"" {
        let n = skipString(chars, at: i)
        current += chars[i..<min(chars.count, i + n)]
        i += n
        continue
      }
      if "([{".contains(c) { depth += 1 }
      if ")]}".contains(c) { depth -= 1 }
      if c == ",", depth == 0 {
        items.append(String(current))
        current = []
      } else {
        current.append(c)
      }
      i += 1
    }
    if !String(current).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { items.append(String(current)) }
    return items
  }

  /// The text of the labelled argument `label:` among a call's arguments.
  static func argument(_ label: String, in body: [Character]) -> String? {
    for item in split(body) {
      let item = item.trimmingCharacters(in: .whitespacesAndNewlines)
      if item.hasPrefix(label + ":") {
        return String(item.dropFirst(label.count + 1)).trimmingCharacters(in: .whitespacesAndNewlines)
      }
    }
    return nil
  }

  static func stringLiteral(_ text: String) -> String? {
    guard text.count >= 2, text.first == "\"", text.last == "\"" else { return nil }
    let inner = text.dropFirst().dropLast()
    return inner.contains("\"") || inner.contains("\\") ? nil : String(inner)
  }
}
