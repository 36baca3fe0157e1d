import CruddurCore
import CruddurDigest

/// One pass over a SQL file and its includes without a server: the statement count for
/// plans and, at decode time, every rule the loader would otherwise hit mid-run
/// (unsupported meta-commands, statements that cannot run in the file's transaction,
/// unreadable includes, unterminated quotes or COPY data).
struct SQLScriptScan {
  var statementCount = 0
  var diagnostics: [Diagnostic] = []
  /// SHA-256 of the outermost file, taken in the same pass (nil when the pass stopped early).
  var digest: String?
  /// Destructive statements (`DestructiveStatement`), as "DROP TABLE t (db/schema.sql:4)":
  /// they make the step destructive, so a protected environment asks before running it.
  var destructiveStatements: [PlannedStatement] = []
  /// Files the outermost one includes, which a saved plan also pins by digest.
  var includedFiles: [SQLScriptCursor.File] = []
  /// Statements that take a lock a plan shows (`StatementLocks`), in file order.
  var lockedStatements: [StatementLocks] = []

  /// Files larger than this are not scanned at decode time, to keep `validate` and
  /// `plan` quick; the loader applies the same rules while it reads them (inside the
  /// file's transaction, so a failure still leaves nothing behind).
  static let decodeLimit = 8 << 20

  init(path: String, projectRoot: String, inTransaction: Bool) {
    let cursor: SQLScriptCursor
    do {
      cursor = try SQLScriptCursor(path: path, projectRoot: projectRoot)
    } catch let error as any CruddurError {
      self.init(diagnostics: error.diagnostics)
      return
    } catch {
      self.init(diagnostics: [ConfigErrorKind.cannotReadSQLFile(reason: "\(error)").diagnostic()])
      return
    }
    self.init(cursor: cursor, inTransaction: inTransaction)
  }

  private init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

  /// Scans what `cursor` reads (a migration block held in memory).
  init(cursor: SQLScriptCursor, inTransaction: Bool) {
    do {
      let hasher = SHA256()
      cursor.observeMainFile { hasher.update($0) }
      defer {
        if diagnostics.isEmpty { digest = hasher.finalizeHex() }
        includedFiles = cursor.includedFiles
      }
      var created: Set<String> = []
      while let next = try cursor.next() {
        switch next.item {
        case .statement(let statement):
          guard !statement.text.isEmpty else { continue }
          statementCount += 1
          if let locks = StatementLocks.read(statement, file: next.file.displayPath, created: &created) {
            lockedStatements.append(locks)
          }
          if let kind = DestructiveStatement.kind(of: statement.text) {
            let firstLine = statement.text.prefix { $0 != "\n" && $0 != "\r" }
            let shown = firstLine.count > 60 ? firstLine.prefix(57) + "..." : firstLine
            destructiveStatements.append(
              PlannedStatement(kind: kind, text: String(shown), file: next.file.displayPath, line: statement.line))
          }
          if let problem = statement.problem(inTransaction: inTransaction) {
            diagnostics.append(
              SQLScriptCursor.diagnostic(
                problem, in: next.file, line: statement.line, column: statement.column,
                length: statement.leadingWords.unicodeScalars.count))
          }
        case .meta(let meta):
          if case .failure(let error) = meta.action {
            diagnostics.append(
              SQLScriptCursor.diagnostic(
                error.kind, in: next.file, line: meta.line, column: meta.column,
                length: meta.name.unicodeScalars.count + 1))
          }
        case .copyData, .copyEnd:
          continue
        }
      }
    } catch let error as any CruddurError {
      diagnostics.append(contentsOf: error.diagnostics)
    } catch {
      diagnostics.append(ConfigErrorKind.cannotReadSQLFile(reason: "\(error)").diagnostic())
    }
  }
}

