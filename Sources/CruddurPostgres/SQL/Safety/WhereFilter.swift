/// Whether a WHERE (or a MERGE's join condition) can leave rows out: it must read a
/// column in every branch that could make it true. `true`, `1 = 1`, `id = 1 OR true` and
/// `x = x` read no column where it matters, so the statement counts as unfiltered.
enum WhereFilter {
  static func filters(_ condition: ParseNode) -> Bool {
    guard let (type, body) = condition.typed else { return false }
    switch type {
    case "BoolExpr":
      let arguments = body["args"]?.elements ?? []
      switch body["boolop"]?.stringValue {
      case "AND_EXPR": return arguments.contains(where: filters)
      case "OR_EXPR": return !arguments.isEmpty && arguments.allSatisfy(filters)
      default: return arguments.contains(where: filters)
      }
    case "CurrentOfExpr":
      return true
    case "A_Expr":
      // `x = x` (or any operator between an expression and itself) compares a row with itself.
      if let left = body["lexpr"], let right = body["rexpr"],
        withoutLocations(left) == withoutLocations(right)
      {
        return false
      }
      return readsColumn(condition)
    default:
      return readsColumn(condition)
    }
  }

  private static func readsColumn(_ node: ParseNode) -> Bool {
    var found = false
    node.walk { child in
      if child["ColumnRef"] != nil { found = true }
      return !found
    }
    return found
  }

  /// The node with every `location` removed: two spellings of one expression compare equal.
  private static func withoutLocations(_ node: ParseNode) -> ParseNode {
    switch node {
    case .object(let fields):
      var kept: [String: ParseNode] = [:]
      for (key, value) in fields where key != "location" { kept[key] = withoutLocations(value) }
      return .object(kept)
    case .array(let items):
      return .array(items.map(withoutLocations))
    default:
      return node
    }
  }
}
