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
  /// Destructive statements and those whose effect cannot be seen (`StatementJudge`),
  /// each with its reason and place: a protected environment asks before running them.
  /// Found only when the scan judges (on a protected environment): an unprotected run
  /// never pays for PostgreSQL's grammar.
  var destructiveStatements: [PlannedStatement] = []
  /// Functions called in the file that nothing said were read-only (`plan --check` looks
  /// them up on the target).
  var unresolvedFunctions: Set<String> = []
  /// At least one statement is destructive.
  var isDestructive: Bool { destructiveStatements.contains { !$0.isUnknown } }
  /// "2 statements cruddur cannot see through", when some are unknown.
  var effectUnknown: String? {
    let count = destructiveStatements.filter(\.isUnknown).count
    return count == 0
      ? nil : "\(count) statement\(count == 1 ? "" : "s") cruddur cannot see through"
  }
  /// Files the outermost one includes, which a saved plan also pins by digest.
  var includedFiles: [SQLScriptCursor.File] = []
  /// Statements that take a lock a plan shows (`StatementLocks`), in file order; empty
  /// when the scan was asked not to read locks.
  var lockedStatements: [StatementLocks] = []
  /// Where each statement is, for a run that loads the very bytes scanned without lexing
  /// them again; asked for with `recordsSpans`, and nil when the file has a meta-command
  /// or COPY data (the run then reads it with its own cursor).
  var spans: [StatementSpan]?
  /// The most statements whose places are kept (24 bytes each: 48 MiB).
  static let maxSpans = 1 << 21
  /// The included files the cursor read whole (`SQLScriptCursor.heldIncludes`), for the run.
  var heldIncludes: [String: [UInt8]] = [:]

  /// `judges`: classify every statement with PostgreSQL's grammar (`StatementJudge`);
  /// `readOnlyOnTarget` are functions the target says are stable or immutable; `locks`:
  /// read each statement's locks (PostgreSQL's grammar too) for the plan's lines and a
  /// protected environment's consent. A plain run on an unprotected environment needs
  /// neither, and the parser then is not even loaded.
  init(
    path: String, projectRoot: String, inTransaction: Bool, judges: Bool = false,
    readOnlyOnTarget: Set<String> = [], locks: Bool = true
  ) {
    let cursor: SQLScriptCursor
    do {
      cursor = try SQLScriptCursor(path: path, projectRoot: projectRoot)
    } catch let error as any CruddurError {
      self.init(diagnostics: error.diagnostics)
      return
    } catch {
      self.init(diagnostics: [
        PostgresConfigErrorKind.cannotReadSQLFile(reason: "\(error)").diagnostic()
      ])
      return
    }
    self.init(
      cursor: cursor, inTransaction: inTransaction, judges: judges,
      readOnlyOnTarget: readOnlyOnTarget, locks: locks)
  }

  private init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

  /// Scans what `cursor` reads (a migration block held in memory). `hashes`: take the
  /// digest (a plain run that shows no plan needs none: it is a fifth of its instructions).
  init(
    cursor: SQLScriptCursor, inTransaction: Bool, judges: Bool = false,
    readOnlyOnTarget: Set<String> = [],
    locks: Bool = true, hashes: Bool = true, recordsSpans: Bool = false
  ) {
    var judge = judges ? StatementJudge() : nil
    judge?.readOnlyOnTarget = readOnlyOnTarget
    defer { unresolvedFunctions = judge?.unresolvedFunctions ?? [] }
    do {
      // Where each statement is, while nothing has made the spans useless.
      var recorded: [StatementSpan] = []
      var keepsSpans = recordsSpans
      let hasher = hashes ? SHA256() : nil
      if let hasher { cursor.observeMainFile { hasher.update($0) } }
      defer {
        if diagnostics.isEmpty { digest = hasher?.finalizeHex() }
        includedFiles = cursor.includedFiles
        heldIncludes = cursor.heldIncludes
        // Statements of an included file are at offsets of another file.
        spans = keepsSpans && includedFiles.isEmpty && diagnostics.isEmpty ? recorded : nil
      }
      var created: Set<String> = []
      // Neither locks nor a judge need a statement's text: one no rule applies to stays a
      // place in the file, and costs no `String`.
      let plainAsSpans = !locks && judge == nil
      reading: while true {
        let next: SQLScriptCursor.Item
        if plainAsSpans {
          let before = recorded.count
          let read = try cursor.nextSpans(into: &recorded)
          statementCount += recorded.count - before
          // Past `maxSpans` the places would outweigh a held file of tiny statements: the
          // run then lexes it again instead.
          if recorded.count > Self.maxSpans { keepsSpans = false }
          if !keepsSpans {
            recorded.removeAll(keepingCapacity: recorded.count <= Self.maxSpans)
          }
          switch read {
          case .end: break reading
          case .more: continue reading
          case .item(let found): next = found
          }
        } else {
          guard let found = try cursor.next() else { break }
          next = found
        }
        switch next.item {
        case .statement(let statement):
          guard !statement.text.isEmpty else { continue }
          statementCount += 1
          if statement.isCopyFromStdin { keepsSpans = false }
          if keepsSpans {
            recorded.append(
              StatementSpan(
                offset: statement.byteOffset, length: Int32(statement.text.utf8.count),
                line: Int32(statement.line),
                column: Int32(statement.column),
                runsAlone: statement.mustRunOutsideTransaction || statement.isTransactionControl
                  || statement.settingChange != nil))
          }
          if locks,
            let found = StatementLocks.read(
              statement, file: next.file.displayPath, created: &created)
          {
            lockedStatements.append(found)
          }
          if let verdict = judge?.judge(
            statement.text, standardConformingStrings: statement.standardConformingStrings)
          {
            if verdict.safetyClass.needsConsent {
              let firstLine = statement.text.prefix { $0 != "\n" && $0 != "\r" }
              let shown = firstLine.count > 60 ? firstLine.prefix(57) + "..." : firstLine
              destructiveStatements.append(
                PlannedStatement(
                  kind: verdict.reason ?? verdict.safetyClass.name, text: String(shown),
                  file: next.file.displayPath,
                  line: statement.line, verdict: verdict.safetyClass.name))
            }
          }
          if let problem = statement.problem(inTransaction: inTransaction) {
            diagnostics.append(
              SQLScriptCursor.diagnostic(
                problem, in: next.file, line: statement.line, column: statement.column,
                length: statement.leadingWords.unicodeScalars.count))
          }
        case .meta(let meta):
          keepsSpans = false
          if case .failure(let error) = meta.action {
            diagnostics.append(
              SQLScriptCursor.diagnostic(
                error.kind, in: next.file, line: meta.line, column: meta.column,
                length: meta.name.unicodeScalars.count + 1))
          }
        case .copyData, .copyEnd:
          keepsSpans = false
          continue
        }
      }
    } catch let error as any CruddurError {
      diagnostics.append(contentsOf: error.diagnostics)
    } catch {
      diagnostics.append(PostgresConfigErrorKind.cannotReadSQLFile(reason: "\(error)").diagnostic())
    }
  }
}
