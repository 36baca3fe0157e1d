/// Which lock each statement takes on each relation it names, read from PostgreSQL's own
/// parse tree (libpg_query) and PostgreSQL 15's rules (`AlterTableGetLockLevel` in
/// tablecmds.c, the lock each utility command opens its relation with). Every rule here is
/// checked against a real server by `LockOracleTests`: the statement run inside `BEGIN`,
/// `pg_locks` read from another session, `relfilenode` compared before and after.
enum LockAnalyzer {
  /// The relations `statement` locks, the strongest lock on each; empty for a statement
  /// that takes none worth showing (a plain SELECT, INSERT, UPDATE or DELETE takes the weak
  /// lock every query takes, and conflicts only with the DDL shown here).
  static func claims(for statement: ParseNode) -> [LockClaim] {
    guard let (type, body) = statement.typed else { return [] }
    return LockClaim.strongest(rawClaims(type, body))
  }

  private static func rawClaims(_ type: String, _ body: ParseNode) -> [LockClaim] {
    switch type {
    case "AlterTableStmt":
      let objectType = body["objtype"]?.stringValue ?? "OBJECT_TABLE"
      guard let table = name(body["relation"]) else { return [] }
      let commands = body["cmds"]?.elements.compactMap { $0["AlterTableCmd"] } ?? []
      if objectType == "OBJECT_INDEX" {
        return commands.map { command in
          let subtype = command["subtype"]?.stringValue ?? ""
          let weak = ["AT_SetRelOptions", "AT_ResetRelOptions", "AT_SetStatistics"].contains(
            subtype)
          return claim(table, weak ? .shareUpdateExclusive : .accessExclusive, rule: "alter-index")
        }
      }
      return commands.flatMap { alterTable(table, $0) }
    case "IndexStmt":
      guard let table = name(body["relation"]) else { return [] }
      if body["concurrent"]?.boolValue == true {
        return [claim(table, .shareUpdateExclusive, scans: true, rule: "create-index-concurrently")]
      }
      return [
        claim(
          table, .share, scans: true, rule: "create-index",
          safer:
            "CREATE INDEX CONCURRENTLY (outside a transaction: a migration with transaction:false)")
      ]
    case "DropStmt":
      return drop(body)
    case "TruncateStmt":
      return body["relations"]?.elements.compactMap { name($0) }.map {
        claim(
          $0, .accessExclusive, rewrites: .yes, rule: "truncate",
          safer: "DELETE in batches, if readers must not wait")
      } ?? []
    case "VacuumStmt":
      let options =
        body["options"]?.elements.compactMap { $0["DefElem"]?["defname"]?.stringValue } ?? []
      let isVacuum = body["is_vacuumcmd"]?.boolValue == true
      let full = isVacuum && options.contains("full")
      let tables =
        body["rels"]?.elements.compactMap { name($0["VacuumRelation"]?["relation"]) } ?? []
      return tables.map { table in
        full
          ? claim(
            table, .accessExclusive, rewrites: .yes, rule: "vacuum-full",
            safer: "pg_repack, or plain VACUUM (no rewrite, SHARE UPDATE EXCLUSIVE)")
          : claim(table, .shareUpdateExclusive, scans: true, rule: isVacuum ? "vacuum" : "analyze")
      }
    case "ClusterStmt":
      guard let table = name(body["relation"]) else { return [] }
      return [claim(table, .accessExclusive, rewrites: .yes, rule: "cluster", safer: "pg_repack")]
    case "RefreshMatViewStmt":
      guard let view = name(body["relation"]) else { return [] }
      if body["concurrent"]?.boolValue == true {
        return [
          claim(view, .exclusive, scans: true, rule: "refresh-materialized-view-concurrently")
        ]
      }
      return [
        claim(
          view, .accessExclusive, rewrites: .yes, rule: "refresh-materialized-view",
          safer: "REFRESH MATERIALIZED VIEW CONCURRENTLY (needs a unique index on the view)")
      ]
    case "ReindexStmt":
      guard let relation = name(body["relation"]) else { return [] }
      let options =
        body["params"]?.elements.compactMap { $0["DefElem"]?["defname"]?.stringValue } ?? []
      if options.contains("concurrently") {
        return [claim(relation, .shareUpdateExclusive, scans: true, rule: "reindex-concurrently")]
      }
      let kind = body["kind"]?.stringValue ?? ""
      // REINDEX TABLE locks the table SHARE and each index ACCESS EXCLUSIVE; REINDEX
      // INDEX locks the index ACCESS EXCLUSIVE (and its table SHARE).
      let isIndex = kind == "REINDEX_OBJECT_INDEX"
      return [
        claim(
          relation, isIndex ? .accessExclusive : .share, rewrites: isIndex ? .yes : .no,
          scans: true,
          rule: "reindex", safer: "REINDEX … CONCURRENTLY (outside a transaction)")
      ]
    case "LockStmt":
      let mode = body["mode"]?.intValue.flatMap(LockMode.init(rawValue:)) ?? .accessExclusive
      return body["relations"]?.elements.compactMap { name($0) }.map {
        claim($0, mode, rule: "lock-table")
      } ?? []
    case "RenameStmt":
      guard let relation = name(body["relation"]) else { return [] }
      let type = body["renameType"]?.stringValue ?? ""
      // Renaming an index takes SHARE UPDATE EXCLUSIVE since PostgreSQL 12.
      return [
        claim(
          relation, type == "OBJECT_INDEX" ? .shareUpdateExclusive : .accessExclusive,
          rule: "rename")
      ]
    case "CreateTrigStmt":
      guard let table = name(body["relation"]) else { return [] }
      return [claim(table, .shareRowExclusive, rule: "create-trigger")]
    case "RuleStmt":
      guard let table = name(body["relation"]) else { return [] }
      return [claim(table, .accessExclusive, rule: "create-rule")]
    case "CreatePolicyStmt", "AlterPolicyStmt":
      guard let table = name(body["table"]) else { return [] }
      return [claim(table, .accessExclusive, rule: "policy")]
    case "CreateStatsStmt":
      return body["relations"]?.elements.compactMap { name($0) }.map {
        claim($0, .shareUpdateExclusive, rule: "create-statistics")
      } ?? []
    case "CommentStmt":
      let type = body["objtype"]?.stringValue ?? ""
      guard
        ["OBJECT_TABLE", "OBJECT_COLUMN", "OBJECT_INDEX", "OBJECT_VIEW", "OBJECT_MATVIEW"].contains(
          type)
      else {
        return []
      }
      var parts = body["object"]?["List"]?["items"]?.nameParts ?? []
      if type == "OBJECT_COLUMN" { parts = Array(parts.dropLast()) }
      guard !parts.isEmpty else { return [] }
      return [claim(parts.joined(separator: "."), .shareUpdateExclusive, rule: "comment")]
    case "CreateStmt":
      // A new table: only the tables its foreign keys reference are locked.
      let columns = body["tableElts"]?.elements ?? []
      var constraints = columns.compactMap { $0["Constraint"] }
      constraints += columns.flatMap {
        $0["ColumnDef"]?["constraints"]?.elements.compactMap { $0["Constraint"] } ?? []
      }
      return constraints.filter { $0["contype"]?.stringValue == "CONSTR_FOREIGN" }.compactMap {
        name($0["pktable"])
      }
      .map { claim($0, .shareRowExclusive, rule: "foreign-key-referenced") }
    default:
      return []
    }
  }

  private static func drop(_ body: ParseNode) -> [LockClaim] {
    let type = body["removeType"]?.stringValue ?? ""
    let objects =
      body["objects"]?.elements.map { $0["List"]?["items"]?.nameParts ?? $0.nameParts } ?? []
    switch type {
    case "OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_SEQUENCE", "OBJECT_FOREIGN_TABLE":
      return objects.filter { !$0.isEmpty }.map {
        claim($0.joined(separator: "."), .accessExclusive, rule: "drop")
      }
    case "OBJECT_INDEX":
      if body["concurrent"]?.boolValue == true {
        return objects.filter { !$0.isEmpty }.map {
          claim($0.joined(separator: "."), .shareUpdateExclusive, rule: "drop-index-concurrently")
        }
      }
      return objects.filter { !$0.isEmpty }.map {
        claim(
          $0.joined(separator: "."), .accessExclusive, rule: "drop-index",
          safer: "DROP INDEX CONCURRENTLY (outside a transaction)")
      }
    case "OBJECT_TRIGGER", "OBJECT_RULE", "OBJECT_POLICY":
      // `DROP TRIGGER tr ON t`: the name list ends with the object, the table before it.
      return objects.filter { $0.count >= 2 }.map {
        claim(
          $0.dropLast().joined(separator: "."), .accessExclusive,
          rule: "drop-\(type.dropFirst(7).lowercased())")
      }
    default:
      return []
    }
  }

  /// One `ALTER TABLE` subcommand (`AlterTableGetLockLevel`).
  private static func alterTable(_ table: String, _ command: ParseNode) -> [LockClaim] {
    let subtype = command["subtype"]?.stringValue ?? ""
    switch subtype {
    case "AT_AddColumn", "AT_AddColumnRecurse":
      return addColumn(table, command["def"]?["ColumnDef"])
    case "AT_SetNotNull":
      return [
        claim(
          table, .accessExclusive, scans: true, rule: "set-not-null",
          safer:
            "ADD CONSTRAINT … CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, then SET NOT NULL (no scan)"
        )
      ]
    case "AT_AlterColumnType":
      let type = command["def"]?["ColumnDef"]?["typeName"]
      return [
        claim(
          table, .accessExclusive, rewrites: rewriteForType(type), rule: "alter-column-type",
          safer: "a new column, backfilled in batches, then swapped in")
      ]
    case "AT_AddConstraint", "AT_AddConstraintRecurse":
      return addConstraint(table, command["def"]?["Constraint"])
    case "AT_ValidateConstraint", "AT_ValidateConstraintRecurse":
      return [claim(table, .shareUpdateExclusive, scans: true, rule: "validate-constraint")]
    case "AT_SetStatistics", "AT_SetOptions", "AT_ResetOptions", "AT_ClusterOn", "AT_DropCluster",
      "AT_SetRelOptions", "AT_ResetRelOptions", "AT_ReplaceRelOptions":
      return [claim(table, .shareUpdateExclusive, rule: "alter-table-options")]
    case "AT_EnableTrig", "AT_EnableAlwaysTrig", "AT_EnableReplicaTrig", "AT_EnableTrigAll",
      "AT_EnableTrigUser",
      "AT_DisableTrig", "AT_DisableTrigAll", "AT_DisableTrigUser":
      return [claim(table, .shareRowExclusive, rule: "enable-disable-trigger")]
    case "AT_SetLogged", "AT_SetUnLogged", "AT_SetTableSpace":
      return [claim(table, .accessExclusive, rewrites: .yes, rule: "alter-table-rewrite")]
    case "AT_AddInherit", "AT_DropInherit":
      var claims = [claim(table, .accessExclusive, rule: "inherit")]
      if let parent = name(command["def"]) {
        claims.append(claim(parent, .shareUpdateExclusive, rule: "inherit"))
      }
      return claims
    case "AT_AttachPartition":
      var claims = [claim(table, .shareUpdateExclusive, rule: "attach-partition")]
      if let partition = name(command["def"]?["PartitionCmd"]?["name"]) {
        claims.append(
          claim(
            partition, .accessExclusive, scans: true, rule: "attach-partition",
            safer: "a CHECK constraint matching the bound, validated first, spares the scan"))
      }
      return claims
    case "AT_DetachPartition":
      let concurrent = command["def"]?["PartitionCmd"]?["concurrent"]?.boolValue == true
      return [
        claim(
          table, concurrent ? .shareUpdateExclusive : .accessExclusive, rule: "detach-partition")
      ]
    default:
      // Everything else PostgreSQL 15 does under ACCESS EXCLUSIVE: DROP COLUMN, SET/DROP
      // DEFAULT, DROP NOT NULL, DROP CONSTRAINT, SET STORAGE, identity and row security
      // changes, OWNER TO, REPLICA IDENTITY, OF/NOT OF, rules, ALTER CONSTRAINT, …
      return [claim(table, .accessExclusive, rule: ruleName(subtype))]
    }
  }

  /// "AT_DropColumn" → "drop-column".
  private static func ruleName(_ subtype: String) -> String {
    var out = ""
    for character in subtype.dropFirst(3) {
      if character.isUppercase, !out.isEmpty { out.append("-") }
      out.append(Character(character.lowercased()))
    }
    return out.isEmpty ? "alter-table" : out
  }

  private static func addColumn(_ table: String, _ column: ParseNode?) -> [LockClaim] {
    let constraints = column?["constraints"]?.elements.compactMap { $0["Constraint"] } ?? []
    var rewrites = LockClaim.Rewrite.no
    var scans = false
    var claims: [LockClaim] = []
    var rule = "add-column"
    var safer: String?
    for constraint in constraints {
      switch constraint["contype"]?.stringValue ?? "" {
      case "CONSTR_DEFAULT":
        if isVolatile(constraint["raw_expr"]) {
          rewrites = .yes
          rule = "add-column-volatile-default"
          safer = "add the column without a default, set the default, then backfill in batches"
        }
      case "CONSTR_GENERATED", "CONSTR_IDENTITY":
        rewrites = .yes
        rule = "add-column-generated"
        safer = "a plain column, backfilled in batches"
      case "CONSTR_CHECK":
        scans = true
      case "CONSTR_PRIMARY", "CONSTR_UNIQUE":
        scans = true
        safer = "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX"
      case "CONSTR_FOREIGN":
        if let referenced = name(constraint["pktable"]) {
          claims.append(claim(referenced, .shareRowExclusive, rule: "foreign-key-referenced"))
        }
      default:
        break
      }
    }
    // A domain type may carry a CHECK the new rows are tested against: a scan, not a rewrite.
    return [
      claim(table, .accessExclusive, rewrites: rewrites, scans: scans, rule: rule, safer: safer)
    ] + claims
  }

  private static func addConstraint(_ table: String, _ constraint: ParseNode?) -> [LockClaim] {
    let type = constraint?["contype"]?.stringValue ?? ""
    let notValid = constraint?["skip_validation"]?.boolValue == true
    switch type {
    case "CONSTR_FOREIGN":
      var claims = [
        claim(
          table, .shareRowExclusive, scans: !notValid,
          rule: notValid ? "add-foreign-key-not-valid" : "add-foreign-key",
          safer: notValid ? nil : "ADD CONSTRAINT … NOT VALID, then VALIDATE CONSTRAINT")
      ]
      if let referenced = name(constraint?["pktable"]) {
        claims.append(claim(referenced, .shareRowExclusive, rule: "foreign-key-referenced"))
      }
      return claims
    case "CONSTR_CHECK":
      return [
        claim(
          table, .accessExclusive, scans: !notValid,
          rule: notValid ? "add-check-not-valid" : "add-check",
          safer: notValid ? nil : "ADD CONSTRAINT … NOT VALID, then VALIDATE CONSTRAINT")
      ]
    case "CONSTR_PRIMARY", "CONSTR_UNIQUE", "CONSTR_EXCLUSION":
      if constraint?["indexname"]?.stringValue != nil {
        return [claim(table, .accessExclusive, rule: "add-constraint-using-index")]
      }
      return [
        claim(
          table, .accessExclusive, scans: true, rule: "add-unique",
          safer: type == "CONSTR_EXCLUSION"
            ? nil : "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX")
      ]
    default:
      return [claim(table, .accessExclusive, rule: "add-constraint")]
    }
  }

  /// Functions whose value differs row by row, so a default made of them is stored in
  /// every row (a rewrite); any other default is kept once in the catalog (PostgreSQL 11+).
  static let volatileFunctions: Set<String> = [
    "random", "clock_timestamp", "timeofday", "gen_random_uuid", "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4", "nextval", "txid_current", "pg_current_xact_id", "setseed", "random_normal",
  ]

  private static func isVolatile(_ expression: ParseNode?) -> Bool {
    var found = false
    expression?.walk { node in
      if let call = node["FuncCall"], let last = call["funcname"]?.nameParts.last,
        volatileFunctions.contains(last.lowercased())
      {
        found = true
      }
      return !found
    }
    return found
  }

  /// `text` and unbounded `varchar` are what other string types convert to without a
  /// rewrite; anything else depends on the old type (int to bigint rewrites).
  private static func rewriteForType(_ type: ParseNode?) -> LockClaim.Rewrite {
    let name = type?["names"]?.nameParts.last ?? ""
    let hasModifier = !(type?["typmods"]?.elements.isEmpty ?? true)
    if ["text", "varchar", "citext", "numeric"].contains(name) || (name == "bpchar" && hasModifier)
    {
      return .unlessBinaryCoercible
    }
    return .yes
  }

  private static func name(_ node: ParseNode?) -> String? {
    guard let node else { return nil }
    let relation = node["RangeVar"] ?? node
    guard let table = relation["relname"]?.stringValue else { return nil }
    return relation["schemaname"]?.stringValue.map { "\($0).\(table)" } ?? table
  }

  private static func claim(
    _ relation: String, _ mode: LockMode, rewrites: LockClaim.Rewrite = .no, scans: Bool = false,
    rule: String,
    safer: String? = nil
  ) -> LockClaim {
    LockClaim(
      relation: relation, mode: mode, rewrites: rewrites, scans: scans, rule: rule, saferForm: safer
    )
  }
}
