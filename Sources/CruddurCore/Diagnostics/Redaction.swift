import Foundation

/// Masks secrets in any text that might reach output: the password of a URL
/// (`scheme://user:secret@host`) and `password=` in keyword/value connection strings.
public enum Redaction {
  public static let mask = "****"

  public static func redact(_ text: String) -> String {
    var result = redactURLPasswords(text)
    result = redactKeywordPasswords(result)
    return result
  }

  /// Replaces `:secret@` after `scheme://user` with `:****@`.
  private static func redactURLPasswords(_ text: String) -> String {
    guard text.contains("://") else { return text }
    var out = ""
    var rest = Substring(text)
    while let schemeEnd = rest.range(of: "://") {
      out += rest[..<schemeEnd.upperBound]
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
        out += authority[...colon]
        out += mask
        out += authority[at...]
      } else {
        out += authority
      }
      rest = rest[authorityEnd...]
    }
    out += rest
    return out
  }

  private static func redactKeywordPasswords(_ text: String) -> String {
    guard text.contains("password") else { return text }
    var out = ""
    var rest = Substring(text)
    while let key = rest.range(of: "password") {
      out += rest[..<key.upperBound]
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
    out += rest
    return out
  }
}
