import CruddurCore

/// Rows as psql prints them: a header, a rule, right-padded columns, and a row count.
/// Values are escaped for the terminal: a text column may hold anything.
public enum RowTableRenderer {
  /// How NULL is shown, apart from an empty string.
  public static let null = "∅"

  static func width(_ s: String) -> Int { DisplayWidth.of(s) }

  /// `String.terminalSafe`, with a byte scan first: nearly every value has no control
  /// character (C0 but tab, DEL, or C1, whose UTF-8 starts with 0xC2), and a million-row
  /// result should not pay a scalar-by-scalar walk for each of them.
  static func safe(_ s: String) -> String {
    guard s.utf8.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F || $0 == 0xC2 }) else { return s }
    return s.terminalSafe
  }

  static func pad(_ s: String, _ width: Int) -> String {
    let missing = width - self.width(s)
    return missing > 0 ? s + String(repeating: " ", count: missing) : s
  }

  static func padLeft(_ s: String, _ width: Int) -> String {
    let missing = width - self.width(s)
    return missing > 0 ? String(repeating: " ", count: missing) + s : s
  }

  static func center(_ s: String, _ width: Int) -> String {
    let total = max(0, width - self.width(s))
    let left = total / 2
    return String(repeating: " ", count: left) + s + String(repeating: " ", count: total - left)
  }
}
