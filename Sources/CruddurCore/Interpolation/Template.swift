/// A string with `${VAR}`, `${VAR:-default}`, `${VAR:?message}` and `$$`, parsed once
/// and kept with the location it was written at.
public struct Template: Sendable, Hashable {
  public enum Part: Sendable, Hashable {
    case literal(String)
    case variable(name: String, fallback: Fallback, column: Int)
  }

  public enum Fallback: Sendable, Hashable {
    case none
    case defaultValue(Template)
    case failure(message: String)
  }

  public var parts: [Part]
  public var source: String
  public var location: SourceLocation


  /// Names of all variables referenced, defaults included.
  public var variableNames: [String] {
    parts.flatMap { part -> [String] in
      guard case .variable(let name, let fallback, _) = part else { return [] }
      if case .defaultValue(let inner) = fallback { return [name] + inner.variableNames }
      return [name]
    }
  }

  public init(parsing text: String, at location: SourceLocation) throws(TemplateSyntaxError) {
    self.source = text
    self.location = location
    // Text without a `$` is one literal, known from its bytes without copying its scalars
    // (0.7 M instructions of `list` on the starter project, whose values are mostly plain).
    guard text.utf8.contains(UInt8(ascii: "$")) else {
      self.parts = text.isEmpty ? [] : [.literal(text)]
      return
    }
    let scalars = Array(text.unicodeScalars)
    var index = 0
    self.parts = try Template.parse(scalars, &index, until: nil, base: location)
  }

  private init(parts: [Part], source: String, location: SourceLocation) {
    self.parts = parts
    self.source = source
    self.location = location
  }

  private static func parse(
    _ s: [Unicode.Scalar], _ i: inout Int, until terminator: Unicode.Scalar?, base: SourceLocation
  ) throws(TemplateSyntaxError) -> [Part] {
    var parts: [Part] = []
    var literal = String.UnicodeScalarView()
    func flush() {
      if !literal.isEmpty { parts.append(.literal(String(literal))) }
      literal = String.UnicodeScalarView()
    }
    while i < s.count {
      let c = s[i]
      if let terminator, c == terminator { return { flush(); return parts }() }
      guard c == "$", i + 1 < s.count else {
        literal.append(c)
        i += 1
        continue
      }
      let next = s[i + 1]
      if next == "$" {
        literal.append("$")
        i += 2
        continue
      }
      guard next == "{" else {
        // A bare `$X` is left alone: it belongs to a shell command or a SQL `$1`.
        literal.append(c)
        i += 1
        continue
      }
      let start = i
      i += 2
      var name = ""
      while i < s.count, s[i] == "_" || s[i].properties.isAlphabetic || ("0"..."9").contains(s[i]) {
        name.unicodeScalars.append(s[i])
        i += 1
      }
      let column = base.column + start
      guard !name.isEmpty, let first = name.unicodeScalars.first, !("0"..."9").contains(first) else {
        throw TemplateSyntaxError(
          message: "malformed variable reference: expected a name after `${`", column: column, base: base)
      }
      guard i < s.count else {
        throw TemplateSyntaxError(message: "unterminated `${\(name)`: missing `}`", column: column, base: base)
      }
      if s[i] == "}" {
        flush()
        parts.append(.variable(name: name, fallback: .none, column: column))
        i += 1
        continue
      }
      guard s[i] == ":", i + 1 < s.count, s[i + 1] == "-" || s[i + 1] == "?" else {
        throw TemplateSyntaxError(
          message: "malformed `${\(name)...}`: expected `}`, `:-default` or `:?message`", column: column,
          base: base)
      }
      let isDefault = s[i + 1] == "-"
      i += 2
      let innerStart = i
      let inner = try parse(s, &i, until: "}", base: base)
      guard i < s.count, s[i] == "}" else {
        throw TemplateSyntaxError(message: "unterminated `${\(name)`: missing `}`", column: column, base: base)
      }
      let innerText = String(String.UnicodeScalarView(s[innerStart..<i]))
      i += 1
      flush()
      if isDefault {
        parts.append(
          .variable(
            name: name, fallback: .defaultValue(Template(parts: inner, source: innerText, location: base)),
            column: column))
      } else {
        parts.append(.variable(name: name, fallback: .failure(message: innerText), column: column))
      }
    }
    if terminator != nil { return parts + (literal.isEmpty ? [] : [.literal(String(literal))]) }
    flush()
    return parts
  }
}

/// A `${...}` that cannot be read.
public struct TemplateSyntaxError: Error, Sendable {
  public var message: String
  public var location: SourceLocation
  init(message: String, column: Int, base: SourceLocation) {
    self.message = message
    self.location = SourceLocation(path: base.path, line: base.line, column: column, length: 2)
  }
  public var diagnostic: Diagnostic { ConfigErrorKind.invalidTemplate(message: message).diagnostic(at: location) }
}
