/// Recognises the handful of statement shapes a script runner must treat
/// specially. It looks only at as many tokens as it needs, so ordinary
/// statements (INSERT, CREATE TABLE, ...) cost one keyword.
enum StatementClassifier {
  static let standardConformingStrings = "standard_conforming_strings"
  static let clientEncoding = "client_encoding"

  /// Whether `classify` can find anything in a statement that starts with `byte`: every
  /// keyword it handles starts with one of these letters.
  @inline(__always)
  static func mayApply(toFirstByte byte: UInt8) -> Bool {
    switch byte | 0x20 {
    case UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "c"), UInt8(ascii: "d"),
      UInt8(ascii: "e"),
      UInt8(ascii: "p"), UInt8(ascii: "r"), UInt8(ascii: "s"), UInt8(ascii: "v"):
      return true
    default:
      return false
    }
  }

  static func classify(_ text: UnsafeBufferPointer<UInt8>, standardConformingStrings scs: Bool)
    -> StatementClassification
  {
    var result = StatementClassification()
    // Every keyword handled below starts with one of these letters; most
    // statements in a dump (INSERT, GRANT, COMMENT, ...) stop here.
    guard let firstByte = text.first, mayApply(toFirstByte: firstByte) else { return result }
    var tokens = TokenStream(text, standardConformingStrings: scs)
    guard let first = tokens.word(0) else { return result }
    switch first {
    case "begin", "end", "abort":
      result.isTransactionControl = true
      result.changesTransactionBlock = true
    case "savepoint", "release":
      result.isTransactionControl = true
    case "start", "prepare":
      result.isTransactionControl = tokens.word(1) == "transaction"
      result.changesTransactionBlock = result.isTransactionControl
    case "commit", "rollback":
      result.isTransactionControl = true
      // COMMIT/ROLLBACK PREPARED refuse to run inside a transaction block.
      result.mustRunOutsideTransaction = tokens.word(1) == "prepared"
      result.changesTransactionBlock =
        !result.mustRunOutsideTransaction && !rollsBackToSavepoint(&tokens)
    case "create":
      result.mustRunOutsideTransaction = createNeedsOwnTransaction(&tokens)
    case "drop":
      switch tokens.word(1) {
      case "database", "tablespace", "subscription": result.mustRunOutsideTransaction = true
      case "index": result.mustRunOutsideTransaction = tokens.word(2) == "concurrently"
      default: break
      }
    case "vacuum":
      result.mustRunOutsideTransaction = true
    case "reindex":
      result.mustRunOutsideTransaction = reindexNeedsOwnTransaction(&tokens)
    case "alter":
      result.mustRunOutsideTransaction = alterNeedsOwnTransaction(&tokens)
    case "cluster":
      result.mustRunOutsideTransaction = clusterHasNoTarget(&tokens)
    case "discard":
      result.mustRunOutsideTransaction = tokens.word(1) == "all"
    case "set":
      classifySet(&tokens, into: &result)
    case "reset":
      if let name = tokens.name(1) {
        if name == "all" {
          result.resetsAllSettings = true
        } else if name == standardConformingStrings || name == clientEncoding {
          result.settingChange = name
          result.settingValue = "default"
        }
      }
    case "select":
      classifySetConfig(&tokens, into: &result)
    case "copy":
      result.isCopyFromStdin = isCopyFromStdin(&tokens)
    default:
      break
    }
    // The tokens' answer stands only where the parser has none: without libpg_query, for
    // a statement the PG 15 grammar cannot parse, or with standard_conforming_strings
    // off (the parser reads backslashes in strings as the server then would not).
    if scs, TransactionBlockRule.isCandidate(first: first, second: tokens.word(1), text: text),
      let verdict = TransactionBlockRule.mustRunOutside(String(decoding: text, as: UTF8.self))
    {
      result.mustRunOutsideTransaction = verdict
    }
    return result
  }

  /// `ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT] name` stays inside the transaction.
  private static func rollsBackToSavepoint(_ tokens: inout TokenStream) -> Bool {
    var k = 1
    if let noise = tokens.word(k), noise == "work" || noise == "transaction" { k += 1 }
    return tokens.word(0) == "rollback" && tokens.word(k) == "to"
  }

  private static func createNeedsOwnTransaction(_ tokens: inout TokenStream) -> Bool {
    switch tokens.word(1) {
    case "database", "tablespace":
      return true
    case "subscription":
      // Only creating the replication slot (the default) is refused
      // inside a transaction block; pg_dump writes connect = false.
      return !tokens.hasOption(["connect", "create_slot"], disabled: true)
    case "unique":
      return tokens.word(2) == "index" && tokens.word(3) == "concurrently"
    case "index":
      return tokens.word(2) == "concurrently"
    default:
      return false
    }
  }

  private static func reindexNeedsOwnTransaction(_ tokens: inout TokenStream) -> Bool {
    var k = 1
    var kind: String?
    while let token = tokens.token(k) {
      if token.kind == .word {
        if token.text == "concurrently" { return true }
        if kind == nil && token.depth == 0 { kind = token.text }
      }
      k += 1
    }
    return kind == "schema" || kind == "database" || kind == "system"
  }

  private static func alterNeedsOwnTransaction(_ tokens: inout TokenStream) -> Bool {
    switch tokens.word(1) {
    case "system":
      return true
    case "database":
      return tokens.containsSequence(["set", "tablespace"])
    case "subscription":
      let action = tokens.word(3)
      if action == "refresh" { return true }
      if action == "set" || action == "add" || action == "drop", tokens.word(4) == "publication" {
        return !tokens.hasOption(["refresh"], disabled: true)
      }
      return false
    case "table":
      return tokens.containsWord("detach") && tokens.containsWord("concurrently")
    default:
      return false
    }
  }

  /// CLUSTER with no table reclusters the whole database, which the server
  /// refuses inside a transaction block.
  private static func clusterHasNoTarget(_ tokens: inout TokenStream) -> Bool {
    var k = 1
    while let token = tokens.token(k) {
      let isOption =
        token.depth > 0 || token.text == "(" || token.text == ")"
        || (token.kind == .word && token.text == "verbose")
      if !isOption { return false }
      k += 1
    }
    return true
  }

  private static func classifySet(
    _ tokens: inout TokenStream, into result: inout StatementClassification
  ) {
    var k = 1
    if let scope = tokens.word(k), scope == "session" || scope == "local" { k += 1 }
    guard let name = tokens.name(k) else { return }
    if name == "names" {
      result.settingChange = clientEncoding
      result.settingValue = tokens.value(k + 1)
      return
    }
    guard name == standardConformingStrings || name == clientEncoding else { return }
    result.settingChange = name
    if let assign = tokens.token(k + 1),
      assign.text == "=" || (assign.kind == .word && assign.text == "to")
    {
      result.settingValue = tokens.value(k + 2)
    }
  }

  /// pg_dump writes `SELECT pg_catalog.set_config('name', 'value', false);`.
  private static func classifySetConfig(
    _ tokens: inout TokenStream, into result: inout StatementClassification
  ) {
    var k = 1
    if tokens.word(1) == "pg_catalog", tokens.token(2)?.text == "." { k = 3 }
    guard tokens.word(k) == "set_config", tokens.token(k + 1)?.text == "(",
      let nameToken = tokens.token(k + 2), nameToken.kind == .string
    else { return }
    let name = nameToken.text.lowercased()
    guard name == standardConformingStrings || name == clientEncoding else { return }
    result.settingChange = name
    if tokens.token(k + 3)?.text == ",", let valueToken = tokens.token(k + 4),
      valueToken.kind == .string
    {
      result.settingValue = valueToken.text.lowercased()
    }
  }

  /// `COPY <table or (query)> [(columns)] FROM STDIN`: the first FROM/TO at
  /// parenthesis depth 0 decides the direction.
  private static func isCopyFromStdin(_ tokens: inout TokenStream) -> Bool {
    var k = 1
    while let token = tokens.token(k) {
      if token.kind == .word && token.depth == 0 {
        if token.text == "to" { return false }
        if token.text == "from" { return tokens.word(k + 1) == "stdin" }
      }
      k += 1
    }
    return false
  }

  /// Parses a boolean setting value the way the server's parse_bool does.
  static func booleanValue(_ value: String) -> Bool? {
    let v = value.lowercased()
    if v.isEmpty { return nil }
    if v == "on" || v == "1" || "true".hasPrefix(v) || "yes".hasPrefix(v) { return true }
    if v == "off" || v == "0" || "false".hasPrefix(v) || "no".hasPrefix(v) { return false }
    return nil
  }
}
