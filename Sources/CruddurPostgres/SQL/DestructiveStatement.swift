/// Whether a statement destroys data or schema, read from its tokens (never a regex over
/// the text: a `DROP` in a string, a comment or a function body does not count): `DROP`
/// of anything, `TRUNCATE`, `DELETE` or `UPDATE` without a `WHERE` at the top level of the
/// statement, `ALTER … DROP …` (but not `DROP DEFAULT` / `DROP NOT NULL`, which lose no
/// data) and `ALTER … RENAME`. Protection asks before any of them on a protected environment.
enum DestructiveStatement {
  /// A short name of what the statement destroys ("DROP TABLE", "DELETE without WHERE"),
  /// or nil when it is not destructive.
  static func kind(of text: String) -> String? {
    var text = text
    return text.withUTF8 { bytes in
      var tokens = TokenStream(bytes, standardConformingStrings: true)
      return kind(&tokens)
    }
  }

  private static func kind(_ tokens: inout TokenStream) -> String? {
    guard let first = tokens.word(0) else { return nil }
    switch first {
    case "drop":
      return ["DROP", tokens.word(1)?.uppercased()].compactMap { $0 }.joined(separator: " ")
    case "truncate":
      return "TRUNCATE"
    case "alter":
      return alterKind(&tokens)
    case "delete", "update", "with":
      return unfilteredWrite(&tokens)
    default:
      return nil
    }
  }

  /// `DELETE`/`UPDATE` (possibly after a `WITH` list) with no `WHERE` at its own level.
  private static func unfilteredWrite(_ tokens: inout TokenStream) -> String? {
    var k = 0
    var verb: String?
    while let token = tokens.token(k) {
      defer { k += 1 }
      guard token.depth == 0, token.kind == .word else { continue }
      if verb == nil {
        if token.text == "delete" || token.text == "update" { verb = token.text }
        // A CTE's own statement sits inside parentheses; a `WITH … SELECT` writes nothing.
        if token.text == "select" || token.text == "insert" || token.text == "merge" { return nil }
      } else if token.text == "where" {
        return nil
      }
    }
    return verb.map { "\($0.uppercased()) without WHERE" }
  }

  private static func alterKind(_ tokens: inout TokenStream) -> String? {
    let object = tokens.word(1)?.uppercased() ?? ""
    var k = 2
    while let token = tokens.token(k) {
      defer { k += 1 }
      guard token.depth == 0, token.kind == .word else { continue }
      if token.text == "rename" { return "ALTER \(object) RENAME" }
      if token.text == "drop" {
        let next = tokens.word(k + 1)
        if next == "default" || next == "not" || next == "expression" || next == "identity" { continue }
        return "ALTER \(object) DROP"
      }
    }
    return nil
  }
}
