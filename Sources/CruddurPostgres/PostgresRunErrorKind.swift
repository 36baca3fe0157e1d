import CruddurCore

/// Why a Postgres step, or the run on a Postgres target, stopped: SQL files and the checks
/// that read them, migrations and their ledgers, structure dumps, connections, databases,
/// the run lock and the environment stamp. One case per reason, with the values its
/// message needs; the words and exit status of each are decided here, in the module that
/// runs them, not in Core.
public enum PostgresRunErrorKind: ErrorKind, Equatable {
  /// The migrations folder's path names something else (a FIFO, a file).
  case migrationsFolderNotAFolder(path: String, kind: FileKind)
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
  case migrationLedgersDisagree(
    cruddur: [String], dbmate: [String], dbmateTable: String, unexplained: [String])
  /// A migration run outside one transaction stopped midway. `lastDone` and `running`
  /// are "statement N (line L): text", nil past either end.
  case migrationInterrupted(
    path: String, version: String, done: Int, total: Int, since: String, lastDone: String?,
    running: String?)
  /// `RESUME_FROM` or `MARK_APPLIED` given with nothing for it to act on.
  case migrationNothingToResume(variable: String, value: String, reason: String)
  case rollbackTooFar(requested: Int, applied: Int)
  case rollbackFileMissing(version: String, folder: String)
  case rollbackWithoutDown(path: String)
  case dumpFailed(file: String, output: String)
  case invalidConnectionURL(ConnectionURL, reason: String)
  case libpqUnavailable(reason: String)
  case dropMaintenanceDatabase(String)
  /// `target` is the server, masked (`ConnInfo.description`).
  case databaseMissing(String, target: String)
  case databaseInUse(database: String, step: String)
  case runLockHeld(holder: String, place: String)
  case databaseOfOtherEnvironment(
    database: String, stamped: String, environment: String, url: ConnectionURL)
  /// Its stamp was made on another database (`stampedDatabase`, or another server).
  case databaseStampForeign(
    database: String, stamped: String, stampedDatabase: String, environment: String)

  /// How the process ends for this kind (`ExitStatus`).
  public var exitStatus: ExitStatus {
    switch self {
    case .migrationsFolderNotAFolder, .sqlFileMissing, .cannotReadSQLFile, .sqlProblem,
      .migrationsFolderMissing, .migrationExists, .migrationFoldersDiffer, .notAMigrationName,
      .cannotReadMigration, .duplicateMigrationVersion, .invalidStepCount,
      .migrationNothingToResume, .invalidConnectionURL:
      .configError
    case .sqlFileChanged, .migrationChangedSincePlan, .appliedMigrationsChanged,
      .migrationChangedSinceApplied, .migrationsOutOfOrder, .migrationLedgersDisagree,
      .migrationInterrupted, .rollbackTooFar, .rollbackFileMissing, .rollbackWithoutDown,
      .runLockHeld, .databaseOfOtherEnvironment, .databaseStampForeign:
      .refused
    case .connectFailed, .dumpFailed, .libpqUnavailable, .dropMaintenanceDatabase, .databaseMissing,
      .databaseInUse:
      .stepFailed
    }
  }

  /// The kind in words: message, notes and help, at the place the kind carries, else at
  /// `location`.
  public func diagnostic(at location: SourceLocation?) -> Diagnostic {
    var diagnostic = words
    if diagnostic.location == nil { diagnostic.location = location }
    // A SQL problem is the check's own diagnostic, which keeps the check's kind.
    if case .sqlProblem = self { return diagnostic }
    // The diagnostic keeps its kind wherever it goes (a check's ConfigError included), so
    // `--format json` names the reason, not the error type that carried it.
    diagnostic.errorKind = self
    return diagnostic
  }

  private var words: Diagnostic {
    switch self {
    case .migrationsFolderNotAFolder(let path, let kind):
      .error(
        "migrations folder `\(path)` is \(kind.name), not a folder",
        help: "move it away, then `cruddur new migration NAME` creates the folder")
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
      .error(
        "migrations folder `\(path)` does not exist",
        help: "create one with `cruddur new migration NAME`")
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
      .error(
        "refused: \(path) changed after it was planned; nothing was run",
        help: "plan again and review the new plan")
    case .appliedMigrationsChanged(let recorded, let current):
      .error(
        "refused: the migrations applied on the target changed since the plan was made; nothing was run",
        notes: [
          .init(
            "the plan recorded: \(recorded.isEmpty ? "none" : recorded.joined(separator: ", "))"),
          .init("the target has:    \(current.joined(separator: ", "))"),
        ], help: "plan again and review the new plan")
    case .migrationChangedSinceApplied(let path, let recorded, let current):
      .error(
        "refused: \(path) changed since it was applied; nothing was run",
        notes: [
          .init("sha256 when applied: \(recorded)"), .init("sha256 now:          \(current)"),
        ],
        help: "put the applied migration back as it was, and make the change in a new migration "
          + "(`cruddur new migration NAME`)")
    case .migrationsOutOfOrder(let newest, let paths):
      .error(
        "refused: \(paths.count) pending migration\(paths.count == 1 ? " is" : "s are") older than the "
          + "newest applied one (\(newest)); nothing was run",
        notes: paths.map { .init($0) },
        help:
          "if applying \(paths.count == 1 ? "it" : "them") now is right, pass --set ALLOW_OUT_OF_ORDER=1"
      )
    case .migrationLedgersDisagree(let cruddur, let dbmate, let table, let unexplained):
      .error(
        "refused: cruddur.migrations and dbmate's \(table) disagree; nothing was run",
        notes: [
          .init(
            "cruddur.migrations: \(cruddur.isEmpty ? "(empty)" : cruddur.joined(separator: ", "))"),
          .init("\(table): \(dbmate.isEmpty ? "(empty)" : dbmate.joined(separator: ", "))"),
          .init(
            "recorded by cruddur only: \(unexplained.joined(separator: ", ")); "
              + (dbmate.isEmpty
                ? "dbmate's table is empty"
                : "dbmate records a newer version, so dbmate did not roll \(unexplained.count == 1 ? "it" : "them") back")
          ),
        ],
        help:
          "find out which is right, then make the two tables agree (insert the missing versions into "
          + "\(table), or delete them from cruddur.migrations)")
    case .migrationInterrupted(
      let path, let version, let done, let total, let since, let lastDone, let running):
      .error(
        "refused: \(path) was interrupted (started \(since)): \(done) of \(total) statements committed; nothing was run",
        notes: [
          .init(lastDone.map { "last committed: \($0)" } ?? "no statement committed"),
          .init(
            running.map {
              "was running when it stopped, and may or may not have taken effect: \($0)"
            } ?? "every statement committed; the record was not written"),
        ],
        help:
          "check the database, then either continue with `--set RESUME_FROM=\(done + 1)` (the statement that was "
          + "running, or the next one if it took effect) or record it as applied without running anything with "
          + "`--set MARK_APPLIED=\(version)`")
    case .migrationNothingToResume(let variable, let value, let reason):
      .error("\(variable)=\(value): \(reason); nothing was run")
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
      .error(
        "refusing to drop \"\(database)\": it is the maintenance database cruddur connects through")
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
    case .databaseOfOtherEnvironment(let database, let stamped, let environment, let url):
      .error(
        "database \"\(database)\" belongs to environment `\(stamped)`; refusing to run destructive steps on it as `\(environment)`",
        help:
          "check the URL of `\(environment)` (\(url)); run with `-e \(stamped)` if that was meant")
    case .databaseStampForeign(let database, let stamped, let stampedDatabase, let environment):
      .error(
        "refused: database \"\(database)\" carries a stamp for `\(stamped)` made on "
          + (stampedDatabase == database ? "another server" : "database \"\(stampedDatabase)\"")
          + " (restored, renamed or copied since), so it belongs to no known environment; nothing was run",
        help:
          "if it is now `\(environment)`'s database, stamp it so: `cruddur stamp -e \(environment)` (asks for consent)"
      )
    }
  }
}

extension RunError {
  /// A Postgres reason (`RunError(.runLockHeld(...))`).
  public init(_ kind: PostgresRunErrorKind) { self.init(kinds: [kind]) }

  /// Several Postgres reasons raised together; `kinds` must not be empty.
  public init(_ kinds: [PostgresRunErrorKind]) { self.init(kinds: kinds) }
}
