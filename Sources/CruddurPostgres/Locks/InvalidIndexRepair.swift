import CruddurCore

/// `CREATE INDEX CONCURRENTLY` that fails (a duplicate key, a cancel, a lock timeout)
/// leaves its index behind marked INVALID (`pg_index.indisvalid = false`): not used by
/// queries, still maintained by every write, and skipped forever by `IF NOT EXISTS`. Before
/// a block with such builds runs, an INVALID index of the same name is dropped concurrently
/// so the build starts over; after a failed build, the error names the index it left.
struct InvalidIndexRepair: Sendable {
  /// The indexes the block builds concurrently, qualified when the statement qualifies its
  /// table (the index lives in the table's schema).
  var names: [String]

  init(script: String) {
    guard case .success(let statements) = SQLParser.parse(script) else {
      names = []
      return
    }
    names = statements.compactMap { statement in
      guard let (type, body) = statement.node.typed, type == "IndexStmt",
        body["concurrent"]?.boolValue == true,
        let name = body["idxname"]?.stringValue
      else { return nil }
      return body["relation"]?["schemaname"]?.stringValue.map { "\($0).\(name)" } ?? name
    }
  }

  init(names: [String]) { self.names = names }

  var isEmpty: Bool { names.isEmpty }

  /// The ones that exist and are INVALID, as `schema.name`.
  func invalid(on connection: Connection) async throws -> [String] {
    var found: [String] = []
    for name in names {
      let rows = try await connection.execute(
        """
        select n.nspname, c.relname from pg_index i join pg_class c on c.oid = i.indexrelid
          join pg_namespace n on n.oid = c.relnamespace
        where not i.indisvalid and c.oid = to_regclass($1)
        """, parameters: [name]
      ).rows
      for row in rows {
        if let schema = row[0], let relation = row[1] { found.append("\(schema).\(relation)") }
      }
    }
    return found
  }

  /// Drops each INVALID one concurrently (outside any transaction, as the build runs), so
  /// the block's own statement builds it again.
  func repair(on connection: Connection, step: PlannedStep, events: any EventSink) async throws
    -> [String]
  {
    let invalid = try await invalid(on: connection)
    for name in invalid {
      let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
      let quoted = try await parts.asyncMap { try await connection.quoteIdentifier($0) }.joined(
        separator: ".")
      events.emit(
        .stepOutput(
          step: step,
          line:
            "index \(name) is INVALID (a failed concurrent build left it): dropping it concurrently to build it again",
          stream: .stdout))
      try await connection.execute("DROP INDEX CONCURRENTLY IF EXISTS \(quoted)")
    }
    return invalid
  }
}

/// A concurrent index build failed and left its index INVALID: the server's error, and the
/// index named, with what happens to it next.
struct InvalidIndexLeftError: CruddurError {
  var underlying: any Error
  var indexes: [String]

  var exitStatus: ExitStatus { (underlying as? any CruddurError)?.exitStatus ?? .stepFailed }

  var diagnostics: [Diagnostic] {
    var list =
      (underlying as? any CruddurError)?.diagnostics ?? [.error(Redaction.redact("\(underlying)"))]
    let notes = indexes.map {
      Diagnostic.Note(
        "index \($0) was left INVALID (pg_index.indisvalid = false); the next run drops it concurrently and builds it again"
      )
    }
    if list.isEmpty { list = [.error("a concurrent index build failed")] }
    list[0].notes += notes
    return list
  }
}

extension Array {
  fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
    var out: [T] = []
    for element in self { out.append(try await transform(element)) }
    return out
  }
}

extension InvalidIndexRepair {
  /// Every INVALID index of the target's database, as `schema.name`, for `plan --check`.
  static func all(on connection: Connection) async throws -> [String] {
    try await connection.execute(
      """
      select n.nspname || '.' || c.relname from pg_index i join pg_class c on c.oid = i.indexrelid
        join pg_namespace n on n.oid = c.relnamespace
      where not i.indisvalid order by 1
      """
    ).rows.compactMap { $0[0] }
  }

  /// The statement a plan lists for consent: dropping the INVALID index to build it again.
  static func plannedDrop(_ name: String, file: String?) -> PlannedStatement {
    PlannedStatement(
      kind: "DROP INDEX CONCURRENTLY",
      text: "drop index concurrently \(name) (INVALID, then built again)", file: file)
  }
}

/// An INVALID index must be dropped on a protected environment, and the step was not
/// consented to: it appeared after the plan was made.
struct InvalidIndexConsentError: CruddurError {
  var indexes: [String]
  var environment: String
  var exitStatus: ExitStatus { .refused }
  var diagnostics: [Diagnostic] {
    [
      .error(
        "refused: \(environment) is protected and index \(indexes.joined(separator: ", ")) is INVALID; dropping it to build it again needs consent",
        help:
          "run it again: the plan then lists the drop for consent (--yes or type '\(environment)')")
    ]
  }
}
