/// Whether a statement must run outside a transaction block, read from PostgreSQL's parse
/// tree: the statements whose execution in PostgreSQL 15 calls `PreventInTransactionBlock`.
///
/// Only candidates reach the parser (`isCandidate`, on the first words and bytes), so a
/// plain load never loads libpg_query. The prefilter is sound because every such statement
/// is a utility statement, which nothing can wrap or precede (no WITH, EXPLAIN or
/// parentheses), and each is named by its first words or carries CONCURRENTLY:
/// - CREATE / DROP DATABASE, CREATE / DROP TABLESPACE, ALTER DATABASE … SET TABLESPACE,
///   ALTER SYSTEM, CREATE / ALTER / DROP SUBSCRIPTION: first word CREATE, DROP or ALTER and
///   second DATABASE, TABLESPACE, SYSTEM or SUBSCRIPTION;
/// - CREATE [UNIQUE] INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY, ALTER TABLE … DETACH
///   PARTITION … CONCURRENTLY: first word CREATE, DROP or ALTER and the bytes
///   `concurrently` somewhere (CONCURRENTLY is a reserved word: no name hides it);
/// - VACUUM, REINDEX, CLUSTER, DISCARD: by their first word;
/// - COMMIT PREPARED, ROLLBACK PREPARED: first word COMMIT or ROLLBACK, second PREPARED.
enum TransactionBlockRule {
  /// Whether the parser must be asked; false means the statement can run in a block.
  static func isCandidate(first: String, second: String?, text: UnsafeBufferPointer<UInt8>) -> Bool {
    switch first {
    case "vacuum", "reindex", "cluster", "discard": return true
    case "commit", "rollback": return second == "prepared"
    case "create", "drop", "alter":
      if let second, ["database", "tablespace", "system", "subscription"].contains(second) { return true }
      return contains(text, "concurrently")
    default: return false
    }
  }

  /// The tree's answer; nil when the parser has none (libpg_query is missing, or the PG 15
  /// grammar cannot parse the statement): the caller's token rule then stands.
  static func mustRunOutside(_ text: String) -> Bool? {
    guard case .success(let statements) = SQLParser.parse(text), statements.count == 1,
      let (type, body) = statements[0].node.typed
    else { return nil }
    switch type {
    case "CreatedbStmt", "DropdbStmt", "CreateTableSpaceStmt", "DropTableSpaceStmt", "AlterSystemStmt":
      return true
    case "TransactionStmt":
      let kind = body["kind"]?.stringValue
      return kind == "TRANS_STMT_COMMIT_PREPARED" || kind == "TRANS_STMT_ROLLBACK_PREPARED"
    case "VacuumStmt":
      // ANALYZE is a VacuumStmt too, and may run in a block.
      return body["is_vacuumcmd"]?.boolValue ?? false
    case "IndexStmt", "DropStmt":
      return body["concurrent"]?.boolValue ?? false
    case "ReindexStmt":
      let kind = body["kind"]?.stringValue
      if kind == "REINDEX_OBJECT_SCHEMA" || kind == "REINDEX_OBJECT_DATABASE" || kind == "REINDEX_OBJECT_SYSTEM" {
        return true
      }
      // `REINDEX (CONCURRENTLY false) TABLE t` may run in a block.
      return option("concurrently", in: body["params"]) ?? false
    case "ClusterStmt":
      // Without a table it reclusters the whole database.
      return body["relation"] == nil
    case "DiscardStmt":
      return body["target"]?.stringValue == "DISCARD_ALL"
    case "CreateSubscriptionStmt":
      // Creating the slot is what is refused; `connect = false` implies no slot.
      return option("connect", in: body["options"]) != false && option("create_slot", in: body["options"]) != false
    case "AlterSubscriptionStmt":
      switch body["kind"]?.stringValue {
      case "ALTER_SUBSCRIPTION_REFRESH": return true
      case "ALTER_SUBSCRIPTION_SET_PUBLICATION", "ALTER_SUBSCRIPTION_ADD_PUBLICATION",
        "ALTER_SUBSCRIPTION_DROP_PUBLICATION":
        return option("refresh", in: body["options"]) != false
      default: return false
      }
    case "DropSubscriptionStmt":
      // Refused only when the subscription has a slot, which the catalogue knows and the
      // text does not: assumed, as a subscription has one by default.
      return true
    case "AlterDatabaseStmt":
      return body["options"]?.elements.contains { $0.nodeBody?["defname"]?.stringValue == "tablespace" } ?? false
    case "AlterTableStmt":
      return body["cmds"]?.elements.contains { command in
        guard let command = command.nodeBody, command["subtype"]?.stringValue == "AT_DetachPartition" else {
          return false
        }
        return command["def"]?.nodeBody?["concurrent"]?.boolValue ?? false
      } ?? false
    default:
      return false
    }
  }

  /// A boolean option of a `(name [value], …)` list: true when named without a value, its
  /// value read as the server's parse_bool reads it; nil when absent or unreadable.
  private static func option(_ name: String, in list: ParseNode?) -> Bool? {
    guard let element = list?.elements.first(where: { $0.nodeBody?["defname"]?.stringValue == name }),
      let definition = element.nodeBody
    else { return nil }
    guard let argument = definition["arg"], let (type, value) = argument.typed else { return true }
    switch type {
    case "String": return value["sval"]?.stringValue.flatMap(StatementClassifier.booleanValue)
    case "Integer": return (value["ival"]?.intValue ?? 0) != 0
    case "Boolean": return value["boolval"]?.boolValue ?? false
    // A bare word the grammar reads as a type name (`create_slot = off`); the server's
    // defGetBoolean reads its name.
    case "TypeName":
      let names = value["names"]?.elements.compactMap { $0.nodeBody?["sval"]?.stringValue } ?? []
      return names.count == 1 ? StatementClassifier.booleanValue(names[0]) : nil
    default: return nil
    }
  }

  /// Whether `text` holds `word` (lowercase ASCII) in any case.
  private static func contains(_ text: UnsafeBufferPointer<UInt8>, _ word: String) -> Bool {
    let needle = Array(word.utf8)
    guard text.count >= needle.count else { return false }
    for start in 0...(text.count - needle.count) where text[start] | 0x20 == needle[0] {
      var index = 1
      while index < needle.count, text[start + index] | 0x20 == needle[index] { index += 1 }
      if index == needle.count { return true }
    }
    return false
  }
}
