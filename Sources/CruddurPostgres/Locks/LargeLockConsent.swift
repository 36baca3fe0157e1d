import CruddurCore
import Foundation

/// On a protected environment, a statement that holds ACCESS EXCLUSIVE while it rewrites or
/// scans a large table stops every query on it for as long as that takes: it needs consent
/// like a destructive statement, unless its file says why it is fine with
/// `-- cruddur:allow RULE because REASON` (RULE as the plan names it).
struct LargeLockConsent: Sendable {
  /// Rows from which a table counts as large, unless `large_table_rows` says otherwise.
  static let defaultRows = 100_000

  struct Allowance: Sendable, Hashable {
    var rule: String
    var reason: String
    var line: Int
  }

  var threshold: Int

  init(settings: LockSettings) { threshold = settings.largeTableRows ?? Self.defaultRows }

  /// The `-- cruddur:allow RULE because REASON` comments of a file's text; one without a
  /// reason does not count (the plan says so).
  static func allowances(in script: [UInt8]) -> (allowed: [Allowance], unreasoned: [Int]) {
    var allowed: [Allowance] = []
    var unreasoned: [Int] = []
    for (index, raw) in String(decoding: script, as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false
    )
    .enumerated() {
      let line = raw.drop { $0 == " " || $0 == "\t" }
      guard line.hasPrefix("-- cruddur:allow ") else { continue }
      let rest = line.dropFirst("-- cruddur:allow ".count)
      let rule = String(rest.prefix { !$0.isWhitespace })
      guard let because = rest.range(of: " because "),
        !rest[because.upperBound...].trimmingCharacters(in: .whitespaces).isEmpty
      else {
        unreasoned.append(index + 1)
        continue
      }
      allowed.append(
        Allowance(
          rule: rule,
          reason: String(rest[because.upperBound...]).trimmingCharacters(in: .whitespaces),
          line: index + 1))
    }
    return (allowed, unreasoned)
  }

  /// The statements of `locks` that need consent: ACCESS EXCLUSIVE with a rewrite or a scan,
  /// not allowed by a comment, on a table of `threshold` rows or more (`sizes` from the
  /// target; without them, every such statement, the size being read at run time). Also the
  /// plan lines saying which comments allowed what.
  func review(_ locks: [StatementLocks], script: [UInt8], sizes: [String: RelationSize]?)
    -> (consent: [PlannedStatement], lines: [String])
  {
    let (allowed, unreasoned) = Self.allowances(in: script)
    let rules = Set(allowed.map(\.rule))
    var consent: [PlannedStatement] = []
    var lines = unreasoned.map {
      "  ignored: `-- cruddur:allow` without `because REASON` (line \($0))"
    }
    for statement in locks {
      for claim in statement.claims where claim.mode == .accessExclusive && claim.isHeavy {
        if rules.contains(claim.rule) {
          let allowance = allowed.first { $0.rule == claim.rule }!
          lines.append(
            "  allowed: \(claim.rule) on \(claim.relation) because \(allowance.reason) (line \(allowance.line))"
          )
          continue
        }
        var size = "its size read at run time"
        if let sizes {
          guard let known = sizes[claim.relation] else { continue }
          if known.rows >= 0 && known.rows < Int64(threshold) { continue }
          size = known.rows < 0 ? "rows not yet counted" : "~\(known.rows) rows"
        }
        let what = claim.rewrites != .no ? "rewrites" : "scans"
        consent.append(
          PlannedStatement(
            kind: "ACCESS EXCLUSIVE \(what == "rewrites" ? "rewrite" : "scan")",
            text:
              "\(statement.text): \(what) \(claim.relation) under ACCESS EXCLUSIVE (\(claim.rule), \(size))",
            file: statement.file, line: statement.line))
      }
    }
    return (consent, lines)
  }
}
