/// The strongest lock one statement takes on one relation it names, as read from the
/// statement's parse tree, with what it does to the table while holding it.
struct LockClaim: Sendable, Hashable, Codable {
  enum Rewrite: String, Sendable, Hashable, Codable {
    case no
    case yes
    /// `ALTER COLUMN … TYPE`: none when the old type converts without a change of bytes
    /// (varchar(10) to varchar(20) or text), a full rewrite otherwise; which one needs the
    /// current type, which a parse tree does not have.
    case unlessBinaryCoercible = "unless-binary-coercible"
  }

  /// As written (`public.t`, `t`).
  var relation: String
  var mode: LockMode
  var rewrites: Rewrite
  /// Reads every row while holding the lock (a constraint validated, an index built).
  var scans: Bool
  /// The rule's name, for `-- cruddur:allow RULE because …`.
  var rule: String
  /// The form that takes a weaker lock, or holds it only briefly; nil when there is none.
  var saferForm: String?

  /// One claim for each relation, the strongest: modes by strength, rewrites and scans if
  /// any statement part does; the rule and safer form of the strongest part.
  static func strongest(_ claims: [LockClaim]) -> [LockClaim] {
    var order: [String] = []
    var merged: [String: LockClaim] = [:]
    for claim in claims {
      guard var known = merged[claim.relation] else {
        order.append(claim.relation)
        merged[claim.relation] = claim
        continue
      }
      let stronger =
        claim.mode > known.mode
        || (claim.mode == known.mode && known.saferForm == nil && claim.saferForm != nil)
      if claim.rewrites == .yes
        || (claim.rewrites == .unlessBinaryCoercible && known.rewrites == .no)
      {
        known.rewrites = claim.rewrites
      }
      known.scans = known.scans || claim.scans
      if stronger {
        known.mode = claim.mode
        known.rule = claim.rule
        known.saferForm = claim.saferForm ?? known.saferForm
      }
      merged[claim.relation] = known
    }
    return order.compactMap { merged[$0] }
  }

  /// Whether this holds a lock that stops reads or writes while it reads or rewrites the
  /// whole table: what turns a migration into an outage at production row counts.
  var isHeavy: Bool { mode >= .share && (rewrites != .no || scans) }

  /// `public.t ACCESS EXCLUSIVE (blocks reads and writes), rewrites the table; safer: …`.
  var summary: String {
    var parts = ["\(relation) \(mode.sqlName) (\(mode.blocks))"]
    switch rewrites {
    case .yes: parts.append("rewrites the table")
    case .unlessBinaryCoercible:
      parts.append("rewrites the table unless the type change is binary-coercible")
    case .no: break
    }
    if scans { parts.append("scans the table under the lock") }
    var text = parts.joined(separator: ", ")
    if let saferForm { text += "; safer: \(saferForm)" }
    return text
  }
}
