import Foundation
import Synchronization

/// Masks secrets in any text that might reach output: the password of a URL
/// (`scheme://user:secret@host`), `password=` in keyword/value connection strings, and
/// every secret value cruddur has learnt (URL passwords, `PGPASSWORD`, `.pgpass`, variables
/// listed under `secrets:` or named like `*PASSWORD*`/`*SECRET*`/`*TOKEN*`), wherever it
/// appears, so a password in an unusual place (a shell step's echo, an error quoting a
/// URL cruddur could not read) is masked too.
public enum Redaction {
  public static let mask = "****"

  /// Secret values to mask by value. Process-wide on purpose: every line printed or written
  /// goes through `redact`, from whatever module, and a secret learnt anywhere must be
  /// masked everywhere. It only grows; values shorter than `minimumLength` are left to the
  /// structural masking, or every "pw" in ordinary words would become `****`.
  private static let known = Mutex<Set<String>>([])
  public static let minimumLength = 4

  /// Masks `secret` (and its percent-encoded form) in everything redacted from now on.
  public static func remember(secret: String) {
    guard secret.count >= minimumLength else { return }
    // ASCII letters and digits are all in `.alphanumerics`: such a secret encodes to itself,
    // known without Foundation's percent encoder (NSString bridging, 0.7 M instructions of
    // every plan and run whose URL holds a password).
    let isPlain = secret.utf8.allSatisfy {
      (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0)
    }
    let encoded = isPlain ? secret : secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? secret
    known.withLock {
      $0.insert(secret)
      $0.insert(encoded)
    }
  }

  /// Whether `value` is a secret cruddur has learnt (and masks wherever it appears).
  public static func isRemembered(_ value: String) -> Bool {
    value.count >= minimumLength && known.withLock { $0.contains(value) }
  }

  /// Whether a variable's value is a secret by its name.
  public static func isSecretName(_ name: String) -> Bool {
    let upper = name.uppercased()
    let text = Substring(upper)
    return range(of: "PASSWORD", in: text) != nil || range(of: "SECRET", in: text) != nil
      || range(of: "TOKEN", in: text) != nil || upper.hasSuffix("PASSWD") || upper == "PGPASS"
  }

  /// `text.range(of: word)` for an ASCII `word`: in an ASCII text, where every byte is a
  /// Character, found by its bytes. Foundation's `range(of:)` cost 5.7 K instructions a
  /// call: 0.67 M for the secret-looking names of the process environment in every plan
  /// and run, 0.33 M to redact a plan's URL.
  static func range(of word: StaticString, in text: Substring) -> Range<Substring.Index>? {
    range(of: UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount), in: text)
  }

  /// `text.contains(secret)`, by bytes when both are ASCII.
  static func contains(_ secret: String, in text: String) -> Bool {
    guard secret.utf8.allSatisfy({ $0 < 0x80 }) else { return text.contains(secret) }
    return Array(secret.utf8).withUnsafeBufferPointer { range(of: $0, in: Substring(text)) } != nil
  }

  private static func range(
    of needle: UnsafeBufferPointer<UInt8>, in text: Substring
  ) -> Range<Substring.Index>? {
    let utf8 = text.utf8
    guard utf8.allSatisfy({ $0 < 0x80 }) else {
      return text.range(of: String(decoding: needle, as: UTF8.self))
    }
    guard !needle.isEmpty else { return text.startIndex..<text.startIndex }
    var start = utf8.startIndex
    while utf8.distance(from: start, to: utf8.endIndex) >= needle.count {
      var index = start
      var matched = 0
      while matched < needle.count, utf8[index] == needle[matched] {
        matched += 1
        index = utf8.index(after: index)
      }
      if matched == needle.count { return start..<index }
      start = utf8.index(after: start)
    }
    return nil
  }

  public static func redact(_ text: String) -> String {
    var result = redactURLPasswords(text)
    result = redactKeywordPasswords(result)
    let secrets = known.withLock { $0 }
    guard !secrets.isEmpty else { return result }
    // Longest first, so a secret containing another is masked whole.
    for secret in secrets.sorted(by: { $0.count > $1.count }) where contains(secret, in: result) {
      result = result.replacingOccurrences(of: secret, with: mask)
    }
    return result
  }

  /// Replaces `:secret@` after `scheme://user` with `:****@`.
  private static func redactURLPasswords(_ text: String) -> String {
    guard range(of: "://", in: Substring(text)) != nil else { return text }
    var out = ""
    var rest = Substring(text)
    while let schemeEnd = range(of: "://", in: rest) {
      out += String(rest[..<schemeEnd.upperBound])
      rest = rest[schemeEnd.upperBound...]
      // The authority ends at the first '/', '?', '#' or whitespace; the password is
      // between the first ':' and the last '@' inside it (a password may contain '@').
      let authorityEnd =
        rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" || $0.isWhitespace })
        ?? rest.endIndex
      let authority = rest[..<authorityEnd]
      if let at = authority.lastIndex(of: "@"),
        let colon = authority[..<at].firstIndex(of: ":")
      {
        out += String(authority[...colon])
        out += mask
        out += String(authority[at...])
      } else {
        out += String(authority)
      }
      rest = rest[authorityEnd...]
    }
    out += String(rest)
    return out
  }

  private static func redactKeywordPasswords(_ text: String) -> String {
    guard range(of: "password", in: Substring(text)) != nil else { return text }
    var out = ""
    var rest = Substring(text)
    while let key = range(of: "password", in: rest) {
      out += String(rest[..<key.upperBound])
      rest = rest[key.upperBound...]
      let afterSpaces = rest.drop(while: { $0 == " " })
      guard afterSpaces.first == "=" else { continue }
      let value = afterSpaces.dropFirst().drop(while: { $0 == " " })
      out += "="
      let end: Substring.Index
      if value.first == "'" {
        end = value.dropFirst().firstIndex(of: "'").map { value.index(after: $0) } ?? value.endIndex
      } else {
        end = value.firstIndex(where: { $0.isWhitespace || $0 == "&" }) ?? value.endIndex
      }
      out += mask
      rest = value[end...]
    }
    out += String(rest)
    return out
  }
}
