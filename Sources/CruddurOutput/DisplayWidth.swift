/// How many terminal columns text takes, as wcwidth(3) and psql's pg_dsplen count them:
/// East Asian wide and fullwidth characters and emoji take two, combining marks and
/// zero-width characters none, everything else one. For carets and table columns, which
/// must line up with what the terminal drew, not with how many characters were stored.
enum DisplayWidth {
  static func of(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { $0 + of($1) }
  }

  static func of(_ scalar: Unicode.Scalar) -> Int {
    let value = scalar.value
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    if value == 0x200B || (0xFE00...0xFE0F).contains(value) { return 0 }
    if scalar.properties.isEmojiPresentation { return 2 }
    return wideRanges.contains { $0.contains(value) } ? 2 : 1
  }

  /// The longest start of `text` that takes at most `columns` columns, whole characters
  /// only: a wide character that would straddle the edge is left out, and a combining mark
  /// stays with the character it belongs to (a grapheme cluster is kept or cut as one).
  static func cut(_ text: String, toFit columns: Int) -> String {
    var used = 0
    var end = text.startIndex
    for index in text.indices {
      let width = of(String(text[index]))
      if used + width > columns { break }
      used += width
      end = text.index(after: index)
    }
    return String(text[..<end])
  }

  /// Blanks as wide as `text`, its tabs kept as tabs (a tab's width depends on where the
  /// terminal's tab stops fall, so only a tab lines up under a tab).
  static func blanks(under text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      if scalar == "\t" {
        out += "\t"
      } else {
        out += String(repeating: " ", count: of(scalar))
      }
    }
    return out
  }

  /// Unicode's East Asian Wide (W) and Fullwidth (F) blocks, the ones in use.
  private static let wideRanges: [ClosedRange<UInt32>] = [
    0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
    0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
    0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
  ]
}
