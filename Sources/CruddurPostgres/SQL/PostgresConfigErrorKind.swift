import CruddurCore

/// What is wrong with SQL text or a migration file, found without a server: statements a
/// transaction cannot hold, psql meta-commands cruddur does not run, includes, migration
/// markers, SQL written in the YAML. One case per reason; the words are decided here, in
/// the module that reads SQL, not in Core. Found while running, they travel in
/// `PostgresRunErrorKind.sqlProblem`.
public enum PostgresConfigErrorKind: ErrorKind, Hashable {
  /// `statement` is its first words ("CREATE DATABASE").
  case mustRunOutsideTransaction(statement: String)
  /// `keyword` is the statement's ("COMMIT", "START TRANSACTION").
  case transactionControlInTransaction(keyword: String)
  case unsupportedClientEncoding
  case connectToOtherServer
  /// `command` is the meta-command's name as written (`i`, `include_relative`).
  case includeNeedsFile(command: String)
  case psqlVariable(name: String)
  case backslashCopy
  /// `supported` lists the meta-commands the loader runs.
  case unsupportedMetaCommand(name: String, supported: String)
  /// `message` is the SQL reader's own (an unterminated quote, a file it cannot open).
  case unreadableSQL(message: String)
  case cannotReadSQLFile(reason: String)
  case includesTooDeep(limit: Int)
  /// `written` as after `\i`, `path` the file it names.
  case cannotReadInclude(written: String, path: String)
  case cannotReadMigrations(reason: String)
  /// `direction` is `up` or `down`.
  case duplicateMigrationMarker(direction: String, firstLine: Int)
  case missingMigrateUp
  case unknownMigrationMarker(direction: String)
  case unknownMigrationMarkerOption(option: String, direction: String)
  /// A statement above the first `-- migrate:up`, which dbmate refuses and nothing runs.
  case statementBeforeMigrateUp
  /// A marker that does not start at column 1: dbmate does not see it.
  case indentedMigrationMarker(direction: String)
  case migrateDownBeforeUp
  /// What a `transaction:false` block of a migration cannot hold (it runs statement by
  /// statement, recording each): `COPY ... FROM stdin`, a psql meta-command.
  case unsupportedInMigrationOutsideTransaction(what: String)
  /// A warning: `${NAME}` in a `query:`, which is sent as written.
  case interpolationInQuery(name: String)
  /// `COPY … FROM STDIN` in `key` (`query`, `unless.sql`), which has no data to send.
  case copyFromStdinWithoutData(key: String)

  /// A configuration problem ends the process with status 2.
  public var exitStatus: ExitStatus { .configError }

  /// The kind in words at `location`. The diagnostic keeps the kind, as Core's
  /// configuration kinds' do, so whoever collects diagnostics can still match it.
  public func diagnostic(at location: SourceLocation? = nil) -> Diagnostic {
    var diagnostic = words(at: location)
    diagnostic.errorKind = self
    return diagnostic
  }

  private func words(at location: SourceLocation?) -> Diagnostic {
    switch self {
    case .mustRunOutsideTransaction(let statement):
      return .error(
        "`\(statement)` cannot run inside a transaction block, and this file runs in one",
        at: location,
        help:
          "add `transaction: false` to the task to run the file statement by statement, like `psql -f`"
      )
    case .transactionControlInTransaction(let keyword):
      // A COMMIT there would commit what came before it and leave the rest outside the
      // file's transaction, so a later failure could no longer undo the whole file.
      return .error(
        "`\(keyword)` cannot run in this file: it already runs in one transaction", at: location,
        help:
          "use `transaction: false` to run the file statement by statement with its own transactions, "
          + "like `psql -f`, or remove the statement")
    case .unsupportedClientEncoding:
      return .error(
        "only UTF8 is supported as client_encoding", at: location,
        help: "convert the file to UTF-8 (iconv) and remove the encoding change")
    case .connectToOtherServer:
      return .error(
        "`\\connect` to another host or port is not supported; only DBNAME [USER]", at: location)
    case .includeNeedsFile(let command):
      return .error("`\\\(command)` needs a file name", at: location)
    case .psqlVariable(let name):
      return .error(
        "psql variables (`\\set \(name)`) are not supported", at: location,
        help: "only `\\set ON_ERROR_STOP` is accepted; cruddur always stops at the first error")
    case .backslashCopy:
      return .error(
        "`\\copy` is not supported", at: location,
        help: "write `COPY ... FROM stdin;` followed by the data and a `\\.` line")
    case .unsupportedMetaCommand(let name, let supported):
      return .error(
        "psql meta-command `\\\(name)` is not supported", at: location,
        help: "supported: \(supported)")
    case .unreadableSQL(let message):
      return .error(message, at: location)
    case .cannotReadSQLFile(let reason):
      return .error("cannot read SQL file: \(reason)", at: location)
    case .includesTooDeep(let limit):
      return .error("includes nested deeper than \(limit) files (a cycle?)", at: location)
    case .cannotReadInclude(let written, let path):
      return .error("cannot read included file `\(written)` (\(path))", at: location)
    case .cannotReadMigrations(let reason):
      return .error("cannot read migrations: \(reason)", at: location)
    case .duplicateMigrationMarker(let direction, let firstLine):
      return .error(
        "a second `-- migrate:\(direction)` (the first is at line \(firstLine))", at: location)
    case .missingMigrateUp:
      return .error(
        "no `-- migrate:up` line: a migration needs one before its statements", at: location)
    case .unknownMigrationMarker(let direction):
      return .error(
        "unknown marker `migrate:\(direction)`", at: location,
        help: "a migration has `-- migrate:up` and optionally `-- migrate:down`")
    case .unknownMigrationMarkerOption(let option, let direction):
      return .error(
        "unknown option `\(option)` on `-- migrate:\(direction)`", at: location,
        help:
          "the one option is `transaction:false`, for statements that cannot run in a transaction")
    case .statementBeforeMigrateUp:
      return .error(
        "a statement before the first `-- migrate:up`: it would never run (dbmate refuses such a file)",
        at: location,
        help: "move it below `-- migrate:up`")
    case .indentedMigrationMarker(let direction):
      return .error(
        "`-- migrate:\(direction)` must start at column 1: indented, dbmate reads it as part of the statement above",
        at: location,
        help: "remove the indentation; if the statement above is unterminated, end it with `;`")
    case .migrateDownBeforeUp:
      return .error(
        "`-- migrate:down` before any `-- migrate:up`", at: location,
        help: "each `-- migrate:down` follows the `-- migrate:up` it undoes")
    case .unsupportedInMigrationOutsideTransaction(let what):
      return .error(
        "\(what) in a `transaction:false` block of a migration: it runs statement by statement, recording each",
        at: location,
        help: "move it to a block without `transaction:false` (dbmate does not run it either)")
    case .interpolationInQuery(let name):
      return Diagnostic(
        .warning,
        "`${\(name)}` in a query is sent to the server as written: queries are not interpolated",
        at: location,
        help: "declare `params: [\(name)]` and write `$1`: a value is bound, never spliced into SQL"
      )
    case .copyFromStdinWithoutData(let key):
      return .error(
        "`COPY … FROM STDIN` in `\(key)` has no data to read", at: location,
        help: "put the COPY and its data lines (ended by `\\.`) in a file a `sql:` task loads")
    }
  }
}
