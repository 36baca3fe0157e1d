internal import CPgQuery

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// PostgreSQL 15's grammar, through libpg_query (loaded on first use, see PgQueryLoader.c).
/// Thread-safe: libpg_query keeps its memory contexts per thread.
public enum SQLParser {
  /// Loads libpg_query; every parse calls it, and only the first call does any work.
  public static func load() -> Result<Void, SQLParseError> {
    var buffer = [CChar](repeating: 0, count: 512)
    guard cruddur_pg_query_load(&buffer, Int32(buffer.count)) == 0 else { return .success(()) }
    let message = String(
      decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return .failure(SQLParseError(kind: .unavailable, message: message))
  }

  /// The statements of `text` (one or more, separated by semicolons), as PostgreSQL's raw
  /// parser sees them: no catalogue lookups, so a name is a name, not a relation.
  public static func parse(_ text: String) -> Result<[ParsedStatement], SQLParseError> {
    if case .failure(let error) = load() { return .failure(error) }
    let result = pg_query_parse(text)
    defer { pg_query_free_parse_result(result) }
    if let error = result.error { return .failure(syntaxError(error.pointee)) }
    guard let tree = result.parse_tree, let root = decode(tree) else {
      return .failure(
        SQLParseError(kind: .syntax, message: "libpg_query returned an unreadable tree"))
    }
    let statements = root["stmts"]?.elements.map { raw in
      ParsedStatement(
        node: raw["stmt"] ?? .null, location: raw["stmt_location"]?.intValue ?? 0,
        length: raw["stmt_len"]?.intValue ?? 0)
    }
    return .success(statements ?? [])
  }

  /// The PL/pgSQL functions of `text` — a `CREATE FUNCTION … LANGUAGE plpgsql` or a `DO`
  /// block — each a `PLpgSQL_function` node whose `action` holds the body's statements
  /// (`PLpgSQL_stmt_execsql` with the SQL text, `PLpgSQL_stmt_dynexecute`, …). A function
  /// in another language comes back without an `action`.
  public static func parsePLpgSQL(_ text: String) -> Result<[ParseNode], SQLParseError> {
    if case .failure(let error) = load() { return .failure(error) }
    let result = pg_query_parse_plpgsql(text)
    defer { pg_query_free_plpgsql_parse_result(result) }
    if let error = result.error { return .failure(syntaxError(error.pointee)) }
    guard let functions = result.plpgsql_funcs, let root = decode(functions) else {
      return .failure(
        SQLParseError(kind: .syntax, message: "libpg_query returned an unreadable PL/pgSQL tree"))
    }
    return .success(root.elements)
  }

  private static func decode(_ json: UnsafePointer<CChar>) -> ParseNode? {
    let length = strlen(json)
    return json.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
      try? ParseNodeDecoder.decode(UnsafeBufferPointer(start: bytes, count: length))
    }
  }

  private static func syntaxError(_ error: PgQueryError) -> SQLParseError {
    let message = error.message.map { String(cString: $0) } ?? "syntax error"
    return SQLParseError(
      kind: .syntax, message: message, position: error.cursorpos > 0 ? Int(error.cursorpos) : nil)
  }
}
