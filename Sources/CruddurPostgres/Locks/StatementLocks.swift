import CruddurCore

/// One statement of a file with the locks it takes that a plan shows: SHARE UPDATE
/// EXCLUSIVE or stronger, on a relation the same file did not create (a table nobody else
/// can see yet cannot block anyone), other than a DROP (shown as destructive).
struct StatementLocks: Sendable, Hashable, Codable {
  /// Its first line, shortened, as destructive statements are shown.
  var text: String
  var file: String
  var line: Int
  var claims: [LockClaim]

  /// Words a statement that takes such a lock starts with. Only these are parsed, to keep
  /// `plan` quick on a long file of INSERTs; the lock itself is read from the parse tree.
  static let firstWords: Set<String> = [
    "ALTER", "CREATE", "DROP", "TRUNCATE", "VACUUM", "CLUSTER", "REFRESH", "REINDEX", "LOCK",
    "COMMENT", "ANALYZE",
    "ANALYSE",
  ]

  /// Reads `statement`; nil when it takes no lock worth showing. `created` collects the
  /// relations the file creates, so later statements on them are not shown.
  /// What follows `CREATE` (or `CREATE OR REPLACE`) in statements that make a new object
  /// without locking an existing relation: a function body is most of a schema file's
  /// bytes, and parsing it would cost the plan the most for nothing.
  static let createsAlone: Set<String> = [
    "FUNCTION", "PROCEDURE", "VIEW", "SCHEMA", "EXTENSION", "TYPE", "SEQUENCE", "DOMAIN", "ROLE",
    "USER", "DATABASE",
    "AGGREGATE", "COLLATION", "CAST", "OPERATOR", "LANGUAGE", "PUBLICATION", "SUBSCRIPTION",
    "SERVER", "CONVERSION",
    "TEXT", "TABLESPACE", "ACCESS", "EVENT", "FOREIGN", "TRANSFORM", "RECURSIVE",
  ]

  /// What `COMMENT ON` names when it locks a relation.
  static let commentedRelations: Set<String> = ["TABLE", "COLUMN", "INDEX", "VIEW", "MATERIALIZED"]

  /// Whether the statement's first words say it may lock an existing relation: only those
  /// are parsed. (The lock itself comes from the parse tree, never from these words.)
  static func mayLock(_ text: String) -> Bool {
    // The first words only: a function body may be most of the file.
    let words = text.prefix(120).split(
      maxSplits: 4, whereSeparator: { $0.isWhitespace || $0 == "(" }
    ).prefix(4).map {
      $0.uppercased()
    }
    guard let first = words.first, firstWords.contains(first) else { return false }
    switch first {
    case "CREATE":
      let kind = words.count > 3 && words[1] == "OR" ? words[3] : words.count > 1 ? words[1] : ""
      return !createsAlone.contains(kind)
    case "COMMENT":
      return words.count > 2 && commentedRelations.contains(words[2])
    default:
      return true
    }
  }

  static func read(_ statement: SQLStatement, file: String, created: inout Set<String>)
    -> StatementLocks?
  {
    guard mayLock(statement.text) else { return nil }
    guard case .success(let parsed) = SQLParser.parse(statement.text) else { return nil }
    var claims: [LockClaim] = []
    for node in parsed.map(\.node) {
      if let (type, body) = node.typed {
        switch type {
        case "CreateStmt", "CreateTableAsStmt", "ViewStmt":
          let relation = body["relation"] ?? body["into"]?["rel"] ?? body["view"]
          if let name = relation?["relname"]?.stringValue {
            created.insert(name)
            if let schema = relation?["schemaname"]?.stringValue {
              created.insert(schema + "." + name)
            }
          }
        case "IndexStmt":
          if let name = body["idxname"]?.stringValue { created.insert(name) }
        default: break
        }
      }
      claims += LockAnalyzer.claims(for: node)
    }
    let known = created
    // A dropped table is listed as destructive already, and needs consent for that.
    claims = claims.filter {
      $0.mode >= .shareUpdateExclusive && !known.contains($0.relation) && $0.rule != "drop"
    }
    guard !claims.isEmpty else { return nil }
    let firstLine = statement.text.prefix { $0 != "\n" && $0 != "\r" }
    let shown = firstLine.count > 60 ? firstLine.prefix(57) + "..." : firstLine
    return StatementLocks(text: String(shown), file: file, line: statement.line, claims: claims)
  }

  /// Plan lines: the statement, then one line per relation.
  func planLines(indent: String = "", sizes: [String: RelationSize] = [:]) -> [String] {
    ["\(indent)locks: \(text) (\(file):\(line))"]
      + claims.map { claim in
        var line = "\(indent)  \(claim.summary)"
        if let size = sizes[claim.relation] { line += "; \(size.summary)" }
        return line
      }
  }
}

/// A relation's size on the target, read by `plan --check`.
struct RelationSize: Sendable, Hashable, Codable {
  /// `pg_class.reltuples`: the planner's estimate, -1 when never analyzed.
  var rows: Int64
  /// `pg_total_relation_size`: the table with its indexes and TOAST.
  var bytes: Int64

  /// The sizes of `relations` that exist on the target (`plan --check`).
  static func read(_ relations: Set<String>, on connection: Connection) async throws -> [String:
    RelationSize]
  {
    var sizes: [String: RelationSize] = [:]
    for relation in relations.sorted() {
      let row = try await connection.execute(
        "select c.reltuples::bigint::text, pg_total_relation_size(c.oid)::text from pg_class c where c.oid = to_regclass($1)",
        parameters: [relation]
      ).rows.first
      if let rows = row?[0].flatMap({ Int64($0) }), let bytes = row?[1].flatMap({ Int64($0) }) {
        sizes[relation] = RelationSize(rows: rows, bytes: bytes)
      }
    }
    return sizes
  }

  var summary: String {
    let rowsText = rows < 0 ? "rows not yet counted" : "~\(rows) rows"
    return "on the target: \(rowsText), \(Self.bytesText(bytes))"
  }

  static func bytesText(_ bytes: Int64) -> String {
    let units = ["bytes", "kB", "MB", "GB", "TB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024 && unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    return unit == 0 ? "\(bytes) bytes" : "\(Int(value.rounded())) \(units[unit])"
  }
}
