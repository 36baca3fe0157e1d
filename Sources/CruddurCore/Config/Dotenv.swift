import Foundation

/// Reads `.env` files: `KEY=value`, `export KEY=value`, `#` comments, single or double quotes.
public enum Dotenv {
  public static func parse(_ text: String) -> [String: String] {
    var values: [String: String] = [:]
    for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
      var line = rawLine.trimmingCharacters(in: " \t\r")
      if line.isEmpty || line.hasPrefix("#") { continue }
      if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: " \t") }
      guard let eq = line.firstIndex(of: "=") else { continue }
      let key = String(line[..<eq]).trimmingCharacters(in: " \t")
      var value = String(line[line.index(after: eq)...]).trimmingCharacters(in: " \t")
      if value.count >= 2, let q = value.first, q == "\"" || q == "'", value.last == q {
        value = String(value.dropFirst().dropLast())
        if q == "\"" { value = value.replacingOccurrences(of: "\\n", with: "\n") }
      } else if let hash = value.range(of: " #") {
        value = String(value[..<hash.lowerBound]).trimmingCharacters(in: " \t")
      }
      if !key.isEmpty { values[key] = value }
    }
    return values
  }
}

extension StringProtocol {
  fileprivate func trimmingCharacters(in set: String) -> String {
    let chars = Set(set)
    var s = Substring(self)
    while let f = s.first, chars.contains(f) { s = s.dropFirst() }
    while let l = s.last, chars.contains(l) { s = s.dropLast() }
    return String(s)
  }
}
