/// Durations as people type them: `90s`, `2m`, `1h30m`, `500ms`, `1.5h`, or a plain number
/// of seconds (`30`, `2.5`). No exponent, sign or `inf`: what is read must be what was meant.
public enum DurationText {
  /// The longest `timeout:` accepted. Longer is a typo, and a step's deadline is kept in
  /// integer nanoseconds, which a value like `99999999999999999999` overflows.
  public static let maximumSeconds: Double = 7 * 86_400

  /// Seconds, or nil when `text` is not a duration. Negative values parse (as negative) so
  /// the caller can say what is wrong with them.
  public static func seconds(_ text: String) -> Double? {
    var rest = Substring(text.trimmingSpaces)
    var sign = 1.0
    if rest.first == "-" {
      sign = -1
      rest = rest.dropFirst()
    }
    guard !rest.isEmpty else { return nil }
    if let plain = number(rest) { return sign * plain }
    var total = 0.0
    while !rest.isEmpty {
      let digits = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
      guard let value = number(digits) else { return nil }
      rest = rest.dropFirst(digits.count)
      let unit = rest.prefix { $0.isASCII && $0.isLetter }
      rest = rest.dropFirst(unit.count)
      switch unit {
      case "ms": total += value / 1000
      case "s": total += value
      case "m": total += value * 60
      case "h": total += value * 3600
      default: return nil
      }
    }
    return sign * total
  }

  /// Digits with at most one decimal point and at least one digit.
  private static func number(_ text: Substring) -> Double? {
    guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
      text.filter({ $0 == "." }).count <= 1, text.contains(where: \.isNumber)
    else { return nil }
    return Double(text.hasPrefix(".") ? "0" + text : String(text))
  }
}

extension String {
  fileprivate var trimmingSpaces: Substring {
    let start = firstIndex { $0 != " " } ?? endIndex
    let end = lastIndex { $0 != " " }.map { index(after: $0) } ?? start
    return self[start..<max(start, end)]
  }
}
