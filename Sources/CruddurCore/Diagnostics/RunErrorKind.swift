/// Why a run (or a command that changes something) stopped: one case per reason, with the
/// values its message needs. The words and the exit status of every kind are decided
/// here, in `diagnostic` and `exitStatus`, and nowhere else, so tests match the kind and
/// a message changes in one place (just's `CompileErrorKind`).
public enum RunErrorKind: ErrorKind, Equatable {
  // The run: values and checks computed while it runs.
  case shVariablesUnavailable(task: String)
  case unlessShellUnavailable(task: String)
  case unlessSQLUnavailable(task: String)
  /// A task's `sh:` variable's command failed; `reasons` are that failure's messages.
  case computedVariableFailed(name: String, command: String, reasons: [String])
  case missingParameter(task: String, name: String, position: Int)

  // Consent and saved plans.
  /// `steps` describe the destructive steps, one line each (`Protection.describe`).
  case consentRequired(notice: String, steps: [String], environment: String)
  case consentNotConfirmed(environment: String)
  case savedPlanEdited(path: String)
  /// A field cruddur did not write (`field` is its JSON path), or bytes re-arranged.
  case savedPlanNotAsWritten(path: String, field: String?)
  case savedPlanOutdated(path: String, changes: [String])
  case planAlreadyApplied(path: String, digest: String, environment: String)

  // Files.
  case cannotWrite(path: String, reason: String)
  /// A path cruddur would write is not a regular file it may replace (`OutputFile.Refusal`).
  case refusedOutput(path: String, reason: String)
  /// The migrations folder's path names something else (a FIFO, a file).
  case migrationsFolderNotAFolder(path: String, kind: FileKind)
  /// `at` is where the path was written, when it came from a project file.
  case notAFile(shownAs: String, kind: FileKind, at: SourceLocation? = nil)
  /// `written` as in the task, `relativeTo` the file it is relative to, `atRoot` the path
  /// a file of that name has at the project root, when there is one.
  case sqlFileMissing(written: String, at: SourceLocation?, relativeTo: String, atRoot: String?)
  case cannotReadSQLFile(path: String)
  case sqlFileChanged(path: String, sha256: String)
  /// A problem the SQL checks found in a file (a statement that cannot run in a
  /// transaction, a `\` command cruddur does not run, a migration marker), located and
  /// worded by the check that found it.
  case sqlProblem(Diagnostic)
  /// A `\connect` in a SQL file could not connect.
  case connectFailed(reason: String, at: SourceLocation)

  // Migrations.
  case migrationsFolderMissing(path: String)
  case migrationExists(name: String, path: String)
  case migrationFoldersDiffer([String])
  case notAMigrationName(path: String)
  case cannotReadMigration(path: String)
  case duplicateMigrationVersion(version: String, first: String, second: String)
  case invalidStepCount(String)
  case migrationChangedSincePlan(path: String)
  case appliedMigrationsChanged(recorded: [String], current: [String])
  case migrationChangedSinceApplied(path: String, recordedSHA256: String, currentSHA256: String)
  /// `newest` is the newest applied migration, as `VERSION_name`.
  case migrationsOutOfOrder(newest: String, paths: [String])
  /// `cruddur.migrations` and dbmate's table record versions no dbmate command explains.
  case migrationLedgersDisagree(cruddur: [String], dbmate: [String], dbmateTable: String, unexplained: [String])
  /// A migration run outside one transaction stopped midway. `lastDone` and `running`
  /// are "statement N (line L): text", nil past either end.
  case migrationInterrupted(
    path: String, version: String, done: Int, total: Int, since: String, lastDone: String?, running: String?)
  /// `RESUME_FROM` or `MARK_APPLIED` given with nothing for it to act on.
  case migrationNothingToResume(variable: String, value: String, reason: String)
  case rollbackTooFar(requested: Int, applied: Int)
  case rollbackFileMissing(version: String, folder: String)
  case rollbackWithoutDown(path: String)
  case dumpFailed(file: String, output: String)

  // Databases and connections.
  case invalidConnectionURL(ConnectionURL, reason: String)
  case libpqUnavailable(reason: String)
  case dropMaintenanceDatabase(String)
  /// `target` is the server, masked (`ConnInfo.description`).
  case databaseMissing(String, target: String)
  case databaseInUse(database: String, step: String)
  case runLockHeld(holder: String, place: String)
  case databaseOfOtherEnvironment(database: String, stamped: String, environment: String, url: ConnectionURL)
  /// Its stamp was made on another database (`stampedDatabase`, or another server).
  case databaseStampForeign(database: String, stamped: String, stampedDatabase: String, environment: String)

  /// How the process ends for this kind (`ExitStatus`).
  public var exitStatus: ExitStatus {
    switch self {
    case .shVariablesUnavailable, .unlessShellUnavailable, .unlessSQLUnavailable, .computedVariableFailed,
      .connectFailed, .dumpFailed, .libpqUnavailable, .dropMaintenanceDatabase, .databaseMissing, .databaseInUse:
      .stepFailed
    case .refusedOutput, .migrationsFolderNotAFolder: .configError
    case .missingParameter, .cannotWrite, .notAFile, .sqlFileMissing, .cannotReadSQLFile, .sqlProblem,
      .migrationsFolderMissing, .migrationExists, .migrationFoldersDiffer, .notAMigrationName, .cannotReadMigration,
      .duplicateMigrationVersion, .migrationNothingToResume, .invalidStepCount, .invalidConnectionURL:
      .configError
    case .consentRequired, .consentNotConfirmed, .savedPlanEdited, .savedPlanNotAsWritten, .savedPlanOutdated,
      .planAlreadyApplied,
      .sqlFileChanged, .migrationChangedSincePlan, .appliedMigrationsChanged,
      .migrationChangedSinceApplied, .migrationsOutOfOrder, .migrationLedgersDisagree, .migrationInterrupted,
      .rollbackTooFar, .rollbackFileMissing,
      .rollbackWithoutDown, .runLockHeld, .databaseOfOtherEnvironment, .databaseStampForeign:
      .refused
    }
  }

  /// The kind in words: message, notes and help, at the place the kind carries, else at
  /// `location`.
  public func diagnostic(at location: SourceLocation?) -> Diagnostic {
    var diagnostic = words
    if diagnostic.location == nil { diagnostic.location = location }
    return diagnostic
  }

  private var words: Diagnostic {
    switch self {
    case .shVariablesUnavailable(let task):
      .error("task `\(task)` has `sh:` variables, but this run cannot evaluate them")
    case .unlessShellUnavailable(let task):
      .error("task `\(task)` has `unless: { sh: }`, but this run cannot evaluate it")
    case .unlessSQLUnavailable(let task):
      .error("task `\(task)` has `unless: { sql: }`, but this run cannot query")
    case .computedVariableFailed(let name, let command, let reasons):
      .error("cannot compute `\(name)`: `\(command)` failed", notes: reasons.map { .init($0) })
    case .missingParameter(let task, let name, let position):
      .error(
        "task `\(task)` needs parameter `\(name)` ($\(position))",
        help: "pass it after the task name or with `--set \(name)=...`")

    case .consentRequired(let notice, let steps, let environment):
      .error(
        "refused: \(notice); nothing was run", notes: steps.map { .init($0) },
        help: "pass --yes, or run it on a terminal and type '\(environment)'")
    case .consentNotConfirmed(let environment):
      .error("not confirmed: expected `\(environment)`, nothing was run")
    case .savedPlanEdited(let path):
      .error("`\(path)` was edited after it was saved (its digest does not match)")
    case .savedPlanOutdated(let path, let changes):
      .error(
        "refused: `\(path)` no longer matches the project (\(Self.count(changes.count, "change"))); nothing was run",
        notes: changes.map { .init($0) }, help: "plan again, review it, and apply the new plan")
    case .savedPlanNotAsWritten(let path, let field?):
      .error(
        "`\(path)` has a field cruddur did not write: `\(field)`; nothing was run",
        help: "a saved plan is applied exactly as `cruddur plan --out` wrote it; plan again instead of editing it")
    case .savedPlanNotAsWritten(let path, nil):
      .error(
        "`\(path)` is not byte for byte as `cruddur plan --out` wrote it; nothing was run",
        help: "its SHA-256 is the plan's identity on the target; plan again instead of editing or reformatting it")
    case .planAlreadyApplied(let path, let digest, let environment):
      .error(
        "refused: `\(path)` (sha256 \(digest.prefix(12))…) was already applied to \(environment); nothing was run",
        help: "pass --again to apply this destructive plan once more")

    case .cannotWrite(let path, let reason):
      .error("cannot write `\(path)`: \(reason)")
    case .refusedOutput(let path, let reason):
      .error(
        "refusing to write `\(path)`: \(reason); it is left as it was",
        help: "give the path of a regular file, or of one that does not exist yet")
    case .migrationsFolderNotAFolder(let path, let kind):
      .error(
        "migrations folder `\(path)` is \(kind.name), not a folder",
        help: "move it away, then `cruddur new migration NAME` creates the folder")
    case .notAFile(let shown, let kind, let location):
      .error(kind.problem(shownAs: shown) ?? "`\(shown)` is \(kind.name)", at: location)
    case .sqlFileMissing(let written, let location, let relativeTo, let atRoot):
      .error(
        "SQL file `\(written)` does not exist", at: location,
        help: "paths are relative to the file they are written in (here \(relativeTo))"
          + (atRoot.map { "; the file at the project root is `\($0)`" } ?? ""))
    case .cannotReadSQLFile(let path):
      .error("cannot read SQL file \(path)")
    case .sqlFileChanged(let path, let sha256):
      .error(
        "\(path) changed after it was planned (its SHA-256 is no longer \(sha256.prefix(12))…); "
          + "nothing of it was committed", help: "plan again and review the new plan")
    case .sqlProblem(let diagnostic):
      diagnostic
    case .connectFailed(let reason, let location):
      .error("\\connect failed: \(Redaction.redact(reason))", at: location)

    case .migrationsFolderMissing(let path):
      .error("migrations folder `\(path)` does not exist", help: "create one with `cruddur new migration NAME`")
    case .migrationExists(let name, let path):
      .error(
        "a migration named `\(name)` exists already: \(path)",
        help: "choose another name, or edit that migration if it was never applied")
    case .migrationFoldersDiffer(let folders):
      .error(
        "the project's migrate tasks read different folders: \(folders.joined(separator: ", "))",
        help: "keep one migrations folder")
    case .notAMigrationName(let path):
      .error("`\(path)` is not named like a migration (VERSION_name.sql)")
    case .cannotReadMigration(let path):
      .error("cannot read migration \(path)")
    case .duplicateMigrationVersion(let version, let first, let second):
      .error(
        "two migrations have version \(version): \(first) and \(second)",
        help: "give one of them a new version (rename it with a newer timestamp)")
    case .invalidStepCount(let text):
      .error("STEP must be a positive number of migrations, found `\(text)`")
    case .migrationChangedSincePlan(let path):
      .error("refused: \(path) changed after it was planned; nothing was run", help: "plan again and review the new plan")
    case .appliedMigrationsChanged(let recorded, let current):
      .error(
        "refused: the migrations applied on the target changed since the plan was made; nothing was run",
        notes: [
          .init("the plan recorded: \(recorded.isEmpty ? "none" : recorded.joined(separator: ", "))"),
          .init("the target has:    \(current.joined(separator: ", "))"),
        ], help: "plan again and review the new plan")
    case .migrationChangedSinceApplied(let path, let recorded, let current):
      .error(
        "refused: \(path) changed since it was applied; nothing was run",
        notes: [.init("sha256 when applied: \(recorded)"), .init("sha256 now:          \(current)")],
        help: "put the applied migration back as it was, and make the change in a new migration "
          + "(`cruddur new migration NAME`)")
    case .migrationInterrupted(let path, let version, let done, let total, let since, let lastDone, let running):
      .error(
        "refused: \(path) was interrupted (started \(since)): \(done) of \(total) statements committed; nothing was run",
        notes: [
          .init(lastDone.map { "last committed: \($0)" } ?? "no statement committed"),
          .init(running.map { "was running when it stopped, and may or may not have taken effect: \($0)" } ?? "every statement committed; the record was not written"),
        ],
        help: "check the database, then either continue with `--set RESUME_FROM=\(done + 1)` (the statement that was "
          + "running, or the next one if it took effect) or record it as applied without running anything with "
          + "`--set MARK_APPLIED=\(version)`")
    case .migrationNothingToResume(let variable, let value, let reason):
      .error("\(variable)=\(value): \(reason); nothing was run")
    case .migrationLedgersDisagree(let cruddur, let dbmate, let table, let unexplained):
      .error(
        "refused: cruddur.migrations and dbmate's \(table) disagree; nothing was run",
        notes: [
          .init("cruddur.migrations: \(cruddur.isEmpty ? "(empty)" : cruddur.joined(separator: ", "))"),
          .init("\(table): \(dbmate.isEmpty ? "(empty)" : dbmate.joined(separator: ", "))"),
          .init(
            "recorded by cruddur only: \(unexplained.joined(separator: ", ")); "
              + (dbmate.isEmpty
                ? "dbmate's table is empty"
                : "dbmate records a newer version, so dbmate did not roll \(unexplained.count == 1 ? "it" : "them") back")),
        ],
        help: "find out which is right, then make the two tables agree (insert the missing versions into "
          + "\(table), or delete them from cruddur.migrations)")
    case .migrationsOutOfOrder(let newest, let paths):
      .error(
        "refused: \(paths.count) pending migration\(paths.count == 1 ? " is" : "s are") older than the "
          + "newest applied one (\(newest)); nothing was run",
        notes: paths.map { .init($0) },
        help: "if applying \(paths.count == 1 ? "it" : "them") now is right, pass --set ALLOW_OUT_OF_ORDER=1")
    case .rollbackTooFar(let requested, let applied):
      .error(
        "refused: cannot roll back \(requested) migrations, \(applied) \(applied == 1 ? "is" : "are") applied; nothing was run"
      )
    case .rollbackFileMissing(let version, let folder):
      .error("refused: migration \(version) has no file in \(folder)")
    case .rollbackWithoutDown(let path):
      .error(
        "refused: \(path) has no `-- migrate:down` block; nothing was run",
        help: "write the down block that undoes it, then roll back")
    case .dumpFailed(let file, let output):
      .error(
        "pg_dump could not write \(file): \(Redaction.redact(output))",
        help: "the migrations were applied; `dump: false` on the task turns the dump off")

    case .invalidConnectionURL(let url, let reason):
      .error("invalid connection URL \(url): \(Redaction.redact(reason))")
    case .libpqUnavailable(let reason):
      .error(reason, help: "install it: apt-get install libpq5")
    case .dropMaintenanceDatabase(let database):
      .error("refusing to drop \"\(database)\": it is the maintenance database cruddur connects through")
    case .databaseMissing(let database, let target):
      .error("database \"\(database)\" does not exist on \(target)")
    case .databaseInUse(let database, let step):
      .error(
        "cannot drop database \"\(database)\": step `\(step)` of this run is still using it",
        help: "make the drop depend on that step (`deps:` or `steps:`) so they do not run at once")
    case .runLockHeld(let holder, let place):
      .error(
        "another cruddur run (\(holder)) holds the lock on \(place)",
        help: "wait for it to finish, or pass --wait to wait for it")
    case .databaseStampForeign(let database, let stamped, let stampedDatabase, let environment):
      .error(
        "refused: database \"\(database)\" carries a stamp for `\(stamped)` made on "
          + (stampedDatabase == database ? "another server" : "database \"\(stampedDatabase)\"")
          + " (restored, renamed or copied since), so it belongs to no known environment; nothing was run",
        help: "if it is now `\(environment)`'s database, stamp it so: `cruddur stamp -e \(environment)` (asks for consent)")
    case .databaseOfOtherEnvironment(let database, let stamped, let environment, let url):
      .error(
        "database \"\(database)\" belongs to environment `\(stamped)`; refusing to run destructive steps on it as `\(environment)`",
        help: "check the URL of `\(environment)` (\(url)); run with `-e \(stamped)` if that was meant")

    }
  }

  private static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
