import CruddurCore

/// A migration failed: its own transaction rolled back; the ones before it stay applied
/// and recorded, the ones after it never started. The error says which are which.
struct MigrationFailedError: CruddurError {
  var underlying: any Error
  var failed: MigrationFile
  var applied: [MigrationFile]
  var notStarted: [MigrationFile]
  var isRollback = false

  var exitStatus: ExitStatus { (underlying as? any CruddurError)?.exitStatus ?? .stepFailed }

  var diagnostics: [Diagnostic] {
    var list =
      (underlying as? any CruddurError)?.diagnostics
      ?? [.error("\(failed.displayPath) failed: \(Redaction.redact(String(describing: underlying)))")]
    let verb = isRollback ? "rolled back" : "applied"
    var notes: [Diagnostic.Note] = [
      .init(
        "\(failed.fileName) failed"
          + (failed.inTransaction || isRollback ? "; its transaction was rolled back" : " (transaction:false: statements before the failure stay)"))
    ]
    notes.append(
      .init(
        applied.isEmpty
          ? "none \(verb) before it"
          : "\(verb) before it, and kept: \(applied.map(\.fileName).joined(separator: ", "))"))
    if !notStarted.isEmpty { notes.append(.init("not started: \(notStarted.map(\.fileName).joined(separator: ", "))")) }
    if list.isEmpty { list = [.error("\(failed.displayPath) failed")] }
    list[0].notes += notes
    return list
  }
}
