import Foundation

/// A line diff of expected against actual text, for a failed exact comparison: `-` lines
/// are expected and missing, `+` lines are printed and not expected, with a little context.
/// A carriage return is shown as `\r`, and a line ending in a space or tab gets a `⏎`, so
/// the difference can be seen.
public enum OutputDiff {
  /// Lines of context around each change.
  static let context = 2
  /// Above this many line pairs the diff is not computed; both texts are shown whole.
  static let largest = 4_000_000

  /// Nil when the texts are equal.
  public static func render(expected: String, actual: String) -> String? {
    guard expected != actual else { return nil }
    let old = lines(expected)
    let new = lines(actual)
    guard old.count * new.count <= largest else {
      return "--- expected\n\(expected)\n--- actual\n\(actual)"
    }
    let edits = script(old, new)
    var keep = [Bool](repeating: false, count: edits.count)
    for (i, edit) in edits.enumerated() where edit.mark != " " {
      for j in max(0, i - context)...min(edits.count - 1, i + context) { keep[j] = true }
    }
    // Only the final newline differs: show the last lines, where it is missing.
    if !keep.contains(true) {
      for j in max(0, edits.count - context)..<edits.count { keep[j] = true }
    }
    var out: [String] = []
    var skipped = false
    for (i, edit) in edits.enumerated() {
      guard keep[i] else {
        skipped = true
        continue
      }
      if skipped || (out.isEmpty && i > 0) { out.append("  …") }
      skipped = false
      out.append("\(edit.mark) \(visible(edit.line))")
    }
    if skipped { out.append("  …") }
    if endsWithNewline(expected) != endsWithNewline(actual) {
      out.append(endsWithNewline(actual) ? "(expected no newline at the end)" : "(no newline at the end of the output)")
    }
    return out.joined(separator: "\n")
  }

  /// Lines without their `\n` (a `\r` before it stays, to be shown); a final newline adds
  /// no empty line. Split by scalars: as a Character, `\r\n` is not `\n`.
  static func lines(_ text: String) -> [String] {
    var parts = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map {
      String(String.UnicodeScalarView($0))
    }
    if endsWithNewline(text) { parts.removeLast() }
    return parts
  }

  static func endsWithNewline(_ text: String) -> Bool { text.unicodeScalars.last == "\n" }

  static func visible(_ line: String) -> String {
    let shown = line.replacingOccurrences(of: "\r", with: "\\r")
    return shown.last == " " || shown.last == "\t" ? shown + "⏎" : shown
  }

  /// The shortest edit script by longest common subsequence.
  static func script(_ old: [String], _ new: [String]) -> [(mark: Character, line: String)] {
    let n = old.count
    let m = new.count
    // common[i][j]: length of the LCS of old[i...] and new[j...].
    var common = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
    for i in stride(from: n - 1, through: 0, by: -1) {
      for j in stride(from: m - 1, through: 0, by: -1) {
        common[i][j] = old[i] == new[j] ? common[i + 1][j + 1] + 1 : max(common[i + 1][j], common[i][j + 1])
      }
    }
    var edits: [(mark: Character, line: String)] = []
    var i = 0
    var j = 0
    while i < n || j < m {
      if i < n, j < m, old[i] == new[j] {
        edits.append((" ", old[i]))
        i += 1
        j += 1
      } else if i < n, j == m || common[i + 1][j] >= common[i][j + 1] {
        edits.append(("-", old[i]))
        i += 1
      } else {
        edits.append(("+", new[j]))
        j += 1
      }
    }
    return edits
  }
}
