import Foundation

/// Where dbmate keeps its ledger (`schema_migrations`, one `version` column) for a URL, as
/// dbmate 2 decides it: the schema named in `--migrations-table` (cruddur's
/// `migrations_table:` key), else the first schema of the URL's `search_path`, else the
/// session's `current_schema()`, else `public`. cruddur reads and writes that same table,
/// so a team can run either tool on the same database.
struct DbmateLedger: Sendable, Equatable {
  /// Known before connecting, or nil for the session's `current_schema()`.
  var schema: String?
  var table: String

  static let defaultTable = "schema_migrations"

  init(migrationsTable: String?, searchPath: String?) {
    var table = migrationsTable.flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultTable
    var schema: String?
    if let dot = table.firstIndex(of: ".") {
      schema = String(table[..<dot])
      table = String(table[table.index(after: dot)...])
    }
    if schema == nil || schema == "" {
      schema = searchPath.flatMap(SearchPathParameter.firstSchema)
    }
    self.schema = schema
    self.table = table
  }

  /// A SQL expression for the table's name, quoted as dbmate quotes it (`quote_ident`).
  var nameSQL: String {
    let schemaSQL = schema.map(Self.literal) ?? "pg_catalog.current_schema()"
    return "pg_catalog.format('%I.%I', coalesce(\(schemaSQL), 'public'), \(Self.literal(table)))"
  }

  /// A SQL expression for its versions, one a line, or NULL when the table does not exist;
  /// in any query, without failing when it is absent. `query_to_xml` runs the dynamic
  /// query only when the table is there (a CASE evaluates lazily), so the whole ledger is
  /// read in the round trip that reads cruddur's own.
  static func versionsSQL(regclass: String) -> String {
    """
    case when \(regclass) is not null then coalesce((select pg_catalog.string_agg(x.m[1], E'\\n') \
    from pg_catalog.regexp_matches(pg_catalog.query_to_xml('select version from ' || \(regclass)::text, false, true, '')::text, \
    '<version>([^<]*)</version>', 'g') as x(m)), '') end
    """
  }

  /// "dbmate.schema_migrations", or "schema_migrations (in the current schema)".
  var shown: String { schema.map { "\($0).\(table)" } ?? "\(table) (in the current schema)" }

  private static func literal(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
  }

  /// The versions of a `versionsSQL` value; XML's escapes undone.
  static func versions(_ text: String?) -> [String]? {
    guard let text else { return nil }
    return text.split(separator: "\n").map {
      $0.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
        .replacingOccurrences(of: "&amp;", with: "&")
    }
  }
}
