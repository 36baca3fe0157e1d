extension String {
  /// The text with every C0 and C1 control character but tab (and DEL) written as a
  /// visible escape such as `\u{1B}`, so text from a file or a server cannot move the
  /// cursor, erase a line or fake cruddur's own output on a terminal.
  public var terminalSafe: String {
    guard unicodeScalars.contains(where: \.isTerminalControl) else { return self }
    var out = ""
    out.unicodeScalars.reserveCapacity(unicodeScalars.count + 8)
    for scalar in unicodeScalars {
      if scalar.isTerminalControl {
        out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// The first control character (Unicode category Cc, tab included), for names that
  /// must not hold any.
  public var firstControlCharacter: Unicode.Scalar? {
    // General category Cc is exactly U+0000-U+001F and U+007F-U+009F (a stable Unicode
    // property), tested here by value: the property lookup cost 0.15 M instructions of a
    // 50-task `list`, checking every task name.
    unicodeScalars.first { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
  }
}

extension Unicode.Scalar {
  /// C0 controls but tab, DEL, and C1 controls: what a terminal may act on.
  public var isTerminalControl: Bool {
    (value < 0x20 && value != 0x09) || (value >= 0x7F && value <= 0x9F)
  }

  /// `U+001B`
  public var codePoint: String {
    let hex = String(value, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
  }
}
