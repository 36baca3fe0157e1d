/// Swift source with its comments (and, if asked, the contents of its string literals)
/// blanked to spaces, line breaks kept: what is left is code, so `import` lines and names
/// can be searched without finding them in a comment or in a test's sample text.
///
/// Handles `//` and nested `/* */` comments, `"…"`, `"""…"""` and raw `#"…"#` strings, and
/// `\(…)` interpolations, whose code is kept.
enum SwiftCode {
  static func blanking(_ source: String, strings: Bool) -> String {
    var scanner = Scanner(chars: Array(source), blankStrings: strings)
    scanner.code(until: nil)
    return String(scanner.out)
  }

  private struct Scanner {
    let chars: [Character]
    let blankStrings: Bool
    var out: [Character]
    var i = 0

    init(chars: [Character], blankStrings: Bool) {
      self.chars = chars
      self.blankStrings = blankStrings
      out = chars
    }

    func starts(_ prefix: String, at index: Int) -> Bool {
      var j = index
      for c in prefix {
        guard j < chars.count, chars[j] == c else { return false }
        j += 1
      }
      return true
    }

    mutating func blank(_ index: Int) {
      if chars[index] != "\n" { out[index] = " " }
    }

    /// Code up to (not past) an unbalanced `)` when `closing` is set, else to the end.
    mutating func code(until closing: Character?) {
      var depth = 0
      while i < chars.count {
        let c = chars[i]
        if starts("//", at: i) {
          while i < chars.count, chars[i] != "\n" {
            blank(i)
            i += 1
          }
        } else if starts("/*", at: i) {
          var nesting = 0
          repeat {
            if starts("/*", at: i) {
              nesting += 1
              blank(i)
              blank(i + 1)
              i += 2
            } else if starts("*/", at: i) {
              nesting -= 1
              blank(i)
              blank(i + 1)
              i += 2
            } else {
              blank(i)
              i += 1
            }
          } while nesting > 0 && i < chars.count
        } else if c == "#" || c == "\"" {
          var hashes = 0
          while i + hashes < chars.count, chars[i + hashes] == "#" { hashes += 1 }
          guard i + hashes < chars.count, chars[i + hashes] == "\"" else {
            i += max(1, hashes)
            continue
          }
          string(hashes: hashes)
        } else {
          if c == "(" { depth += 1 }
          if c == ")" {
            if depth == 0, closing != nil { return }
            depth -= 1
          }
          i += 1
        }
      }
    }

    /// A string literal starting at `i` (after `hashes` `#`s).
    mutating func string(hashes: Int) {
      let pounds = String(repeating: "#", count: hashes)
      let multiline = starts("\"\"\"", at: i + hashes)
      let end = (multiline ? "\"\"\"" : "\"") + pounds
      i += hashes + (multiline ? 3 : 1)
      while i < chars.count {
        if starts(end, at: i) {
          i += end.count
          return
        }
        if !multiline, chars[i] == "\n" { return }
        if starts("\\" + pounds + "(", at: i) {
          i += pounds.count + 2
          code(until: ")")
          i += 1
          continue
        }
        if starts("\\" + pounds, at: i) {
          for k in 0..<(pounds.count + 2) where i + k < chars.count { if blankStrings { blank(i + k) } }
          i += pounds.count + 2
          continue
        }
        if blankStrings { blank(i) }
        i += 1
      }
    }
  }
}
