import Foundation

/// Trimming spaces and tabs from the ends of text, which plans and runs do on every start.
public enum Whitespace {
  /// `trimmingCharacters(in: .whitespaces)`, without Foundation when there is nothing to
  /// trim: ends that are ASCII other than space and tab (the set's only ASCII members).
  /// Foundation's trim goes through NSString, whose run-time generic lookups cost a plan or
  /// a run 0.8 M instructions at start-up (bench/startup.sh); other text still takes it.
  public static func trimmed(_ text: Substring) -> String {
    guard let first = text.utf8.first, let last = text.utf8.last else { return "" }
    func kept(_ byte: UInt8) -> Bool { byte < 0x80 && byte != 0x20 && byte != 0x09 }
    if kept(first) && kept(last) { return String(text) }
    return text.trimmingCharacters(in: .whitespaces)
  }
}
