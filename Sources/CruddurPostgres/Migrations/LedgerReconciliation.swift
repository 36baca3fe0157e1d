import CruddurCore

/// `cruddur.migrations` set against dbmate's table, so both tools see one truth: a version
/// only dbmate records was applied by dbmate since (adopted); a version only cruddur
/// records, newer than every one dbmate records, was rolled back by dbmate since (dbmate
/// rolls back newest first), so it is no longer applied. Anything else (cruddur alone
/// records a version older than one dbmate has, or dbmate's table is empty beside a
/// non-empty ledger) no sequence of dbmate commands explains: a refusal naming both.
struct LedgerReconciliation: Sendable, Equatable {
  /// What is applied, as both tools will see it once the changes below are written.
  var applied: [AppliedMigration]
  /// Recorded by dbmate only: to be copied into `cruddur.migrations`.
  var adopted: [AppliedMigration] = []
  /// Recorded by cruddur only, rolled back by dbmate: to be removed from `cruddur.migrations`.
  var rolledBack: [AppliedMigration] = []
  var conflict: PostgresRunErrorKind?

  var needsWrite: Bool { !adopted.isEmpty || !rolledBack.isEmpty }

  /// `dbmate` nil: dbmate's table does not exist (nothing to reconcile).
  init(cruddur: [AppliedMigration], dbmate: [String]?, dbmateTable: String) {
    guard let dbmate else {
      applied = cruddur
      return
    }
    let dbmateSet = Set(dbmate.map(MigrationSet.normalized))
    let cruddurSet = Set(cruddur.map { MigrationSet.normalized($0.version) })
    adopted = dbmate.filter { !cruddurSet.contains(MigrationSet.normalized($0)) }
      .sorted(by: MigrationSet.precedes)
      .map { AppliedMigration(version: $0, name: "", sha256: nil, appliedAt: nil) }
    let onlyCruddur = cruddur.filter { !dbmateSet.contains(MigrationSet.normalized($0.version)) }
    let newestDBMate = dbmate.max(by: MigrationSet.precedes)
    let explained =
      newestDBMate.map { newest in
        onlyCruddur.allSatisfy { MigrationSet.precedes(newest, $0.version) }
      } ?? false
    if !onlyCruddur.isEmpty, !explained {
      conflict = .migrationLedgersDisagree(
        cruddur: cruddur.map(\.version).sorted(by: MigrationSet.precedes),
        dbmate: dbmate.sorted(by: MigrationSet.precedes), dbmateTable: dbmateTable,
        unexplained: onlyCruddur.map(\.version).sorted(by: MigrationSet.precedes))
      applied = cruddur
      adopted = []
      return
    }
    rolledBack = onlyCruddur
    applied = (cruddur.filter { dbmateSet.contains(MigrationSet.normalized($0.version)) } + adopted)
      .sorted { MigrationSet.precedes($0.version, $1.version) }
  }
}
