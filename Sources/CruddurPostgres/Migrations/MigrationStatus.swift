import CruddurCore

/// The files set against what the target recorded: which are applied, pending, changed
/// since applied, or recorded without a file; and what refuses a migrate before anything
/// runs.
struct MigrationStatus: Sendable {
  enum State: String, Sendable {
    case applied
    case pending
    case changed = "changed since applied"
    case missingFile = "missing file"
  }

  struct Entry: Sendable {
    var version: String
    var name: String
    var appliedAt: String?
    var state: State
    var file: MigrationFile?
    var applied: AppliedMigration?
  }

  var entries: [Entry]

  init(files: MigrationSet, applied: [AppliedMigration]) {
    var entries: [Entry] = []
    var recorded: [String: AppliedMigration] = [:]
    for record in applied { recorded[MigrationSet.normalized(record.version)] = record }
    for file in files.files {
      if let record = recorded.removeValue(forKey: MigrationSet.normalized(file.version)) {
        let changed = record.sha256.map { !$0.isEmpty && $0 != file.upSHA256 } ?? false
        entries.append(
          Entry(
            version: file.version, name: file.name, appliedAt: record.appliedAt, state: changed ? .changed : .applied,
            file: file, applied: record))
      } else {
        entries.append(Entry(version: file.version, name: file.name, appliedAt: nil, state: .pending, file: file))
      }
    }
    for record in recorded.values {
      entries.append(
        Entry(
          version: record.version, name: record.name, appliedAt: record.appliedAt, state: .missingFile, file: nil,
          applied: record))
    }
    self.entries = entries.sorted { MigrationSet.precedes($0.version, $1.version) }
  }

  var pending: [MigrationFile] { entries.filter { $0.state == .pending }.compactMap(\.file) }
  var changed: [Entry] { entries.filter { $0.state == .changed } }
  /// Applied newest first, for a rollback.
  var appliedNewestFirst: [Entry] { entries.filter { $0.applied != nil }.reversed() }

  /// Pending migrations older than the newest applied one: two branches merged, each
  /// with its own migrations; applying them late may not be what their authors tested.
  var outOfOrder: [MigrationFile] {
    guard let newest = entries.last(where: { $0.applied != nil })?.version else { return [] }
    return pending.filter { MigrationSet.precedes($0.version, newest) }
  }

  /// Why a migrate must not start (exit 3), or nil.
  func refusal(allowOutOfOrder: Bool) -> RunError? {
    var kinds: [PostgresRunErrorKind] = []
    for entry in changed {
      guard let file = entry.file, let recorded = entry.applied?.sha256 else { continue }
      kinds.append(
        .migrationChangedSinceApplied(path: file.displayPath, recordedSHA256: recorded, currentSHA256: file.upSHA256))
    }
    if !allowOutOfOrder, !outOfOrder.isEmpty, let newest = entries.last(where: { $0.applied != nil }) {
      kinds.append(.migrationsOutOfOrder(newest: "\(newest.version)_\(newest.name)", paths: outOfOrder.map(\.displayPath)))
    }
    return kinds.isEmpty ? nil : RunError(kinds)
  }
}
