import Foundation

/// The ways a generated string is written in YAML, each with the text libyaml reads back
/// as exactly that string.
enum YAMLScalarStyle: CaseIterable {
  case plain, singleQuoted, doubleQuoted

  /// Characters a plain scalar may hold anywhere, in block and flow context alike.
  static let plainCharacters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./()")
  /// What quoted scalars may also hold: YAML indicators, quotes, escapes, non-ASCII.
  static let quotedCharacters = plainCharacters + Array(" :#,[]{}&*!|>'\"%@`?\\\tüé€😀")

  /// `value` as a scalar in this style. Plain requires `isPlainSafe(value)`.
  func render(_ value: String) -> String {
    switch self {
    case .plain: return value
    case .singleQuoted: return "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
    case .doubleQuoted:
      var out = "\""
      for scalar in value.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\t": out += "\\t"
        case "\n": out += "\\n"
        case "é": out += "\\u00E9"
        default: out.unicodeScalars.append(scalar)
        }
      }
      return out + "\""
    }
  }

  /// Whether `value` reads back as itself when written plain: a letter first, no space at
  /// either end or twice in a row, and not one of YAML's null spellings.
  static func isPlainSafe(_ value: String) -> Bool {
    guard let first = value.first, first.isLetter, value.last != " ", !value.contains("  ") else { return false }
    guard !["null", "Null", "NULL"].contains(value) else { return false }
    return value.allSatisfy { $0 == " " || plainCharacters.contains($0) }
  }
}

extension Choices {
  /// Text for a scalar and a style that writes it: a plain-safe text may be written in any
  /// style, any other one only quoted.
  mutating func scalar(maxLength: Int = 12, allowTab: Bool = true) -> (value: String, style: YAMLScalarStyle) {
    let quoted = chance(50)
    let alphabet =
      quoted ? YAMLScalarStyle.quotedCharacters.filter { allowTab || $0 != "\t" } : YAMLScalarStyle.plainCharacters
    var value = quoted ? "" : String(element(Array("abcdefghijklmnopqrstuvwxyz")))
    for _ in 0..<pick(maxLength) {
      if !quoted, chance(15), value.last != " " { value.append(" ") }
      value.append(element(alphabet))
    }
    if !quoted, value.last == " " { value.removeLast() }
    let style: YAMLScalarStyle =
      YAMLScalarStyle.isPlainSafe(value) ? element(YAMLScalarStyle.allCases) : element([.singleQuoted, .doubleQuoted])
    return (value, style)
  }
}
