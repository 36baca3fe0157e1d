/// PostgreSQL's table-level lock modes, weakest first (the order of `lockdefs.h`, whose
/// numbers a `LOCK` statement's parse tree carries).
enum LockMode: Int, Sendable, Hashable, Codable, Comparable, CaseIterable {
  case accessShare = 1
  case rowShare
  case rowExclusive
  case shareUpdateExclusive
  case share
  case shareRowExclusive
  case exclusive
  case accessExclusive

  static func < (a: LockMode, b: LockMode) -> Bool { a.rawValue < b.rawValue }

  /// As `pg_locks.mode` spells it: `AccessExclusiveLock`.
  var serverName: String {
    switch self {
    case .accessShare: "AccessShareLock"
    case .rowShare: "RowShareLock"
    case .rowExclusive: "RowExclusiveLock"
    case .shareUpdateExclusive: "ShareUpdateExclusiveLock"
    case .share: "ShareLock"
    case .shareRowExclusive: "ShareRowExclusiveLock"
    case .exclusive: "ExclusiveLock"
    case .accessExclusive: "AccessExclusiveLock"
    }
  }

  init?(serverName: String) {
    guard let mode = Self.allCases.first(where: { $0.serverName == serverName }) else { return nil }
    self = mode
  }

  /// As the documentation and `LOCK` write it: `ACCESS EXCLUSIVE`.
  var sqlName: String {
    switch self {
    case .accessShare: "ACCESS SHARE"
    case .rowShare: "ROW SHARE"
    case .rowExclusive: "ROW EXCLUSIVE"
    case .shareUpdateExclusive: "SHARE UPDATE EXCLUSIVE"
    case .share: "SHARE"
    case .shareRowExclusive: "SHARE ROW EXCLUSIVE"
    case .exclusive: "EXCLUSIVE"
    case .accessExclusive: "ACCESS EXCLUSIVE"
    }
  }

  /// What waits behind it, in words a plan reader acts on.
  var blocks: String {
    switch self {
    case .accessShare, .rowShare, .rowExclusive: "blocks only table-rewriting DDL"
    case .shareUpdateExclusive: "blocks other DDL and VACUUM, not reads or writes"
    case .share, .shareRowExclusive, .exclusive: "blocks writes"
    case .accessExclusive: "blocks reads and writes"
    }
  }
}
