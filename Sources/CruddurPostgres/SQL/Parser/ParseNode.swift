/// A node of the tree libpg_query returns, decoded from its JSON: PostgreSQL's own parse
/// nodes, each an object with one key naming its type (`{"DeleteStmt": {…}}`), fields by
/// their C names (`whereClause`, `relation`), lists as arrays. Absent fields are the
/// grammar's defaults (libpg_query omits false, zero and NULL).
public enum ParseNode: Sendable, Equatable {
  case object([String: ParseNode])
  case array([ParseNode])
  case string(String)
  case number(Double)
  case bool(Bool)
  case null

  /// The field `key` of an object, nil for anything else or an absent field.
  public subscript(key: String) -> ParseNode? {
    if case .object(let fields) = self { return fields[key] }
    return nil
  }

  /// The type of a typed node (`"DeleteStmt"` for `{"DeleteStmt": {…}}`): the one key of
  /// a one-key object.
  public var nodeType: String? {
    guard case .object(let fields) = self, fields.count == 1 else { return nil }
    return fields.first?.key
  }

  /// The body of a typed node: `{…}` of `{"DeleteStmt": {…}}`.
  public var nodeBody: ParseNode? {
    guard case .object(let fields) = self, fields.count == 1 else { return nil }
    return fields.first?.value
  }

  /// `(type, body)` of a typed node.
  public var typed: (type: String, body: ParseNode)? {
    guard case .object(let fields) = self, fields.count == 1, let first = fields.first else {
      return nil
    }
    return (first.key, first.value)
  }

  public var elements: [ParseNode] {
    if case .array(let items) = self { return items }
    return []
  }

  public var stringValue: String? {
    if case .string(let text) = self { return text }
    return nil
  }

  public var intValue: Int? {
    if case .number(let value) = self { return Int(exactly: value) }
    return nil
  }

  public var boolValue: Bool {
    if case .bool(let value) = self { return value }
    return false
  }

  /// Calls `visit` on this node and every node below it, depth first, parents before
  /// children; `visit` returns false to skip a node's children.
  public func walk(_ visit: (ParseNode) -> Bool) {
    guard visit(self) else { return }
    switch self {
    case .object(let fields):
      for value in fields.values { value.walk(visit) }
    case .array(let items):
      for item in items { item.walk(visit) }
    default:
      break
    }
  }

  /// A qualified name list (`[{"String": {"sval": "pg_catalog"}}, {"String": {"sval": "now"}}]`)
  /// as its parts.
  public var nameParts: [String] {
    elements.compactMap { $0["String"]?["sval"]?.stringValue }
  }
}
