import CruddurCore

/// A `transaction:false` block of a migration that records its progress: each statement
/// sent alone (so it commits alone, as `psql -f` would), then `MigrationProgress.advance`
/// committed before the next one is sent. Statements numbered below `startAt` (counted
/// over the file's up blocks, 1-based) are skipped: they ran before an interruption.
struct StatementByStatement {
  var file: MigrationFile
  var block: MigrationFile.Block
  /// Statements of the file's up blocks before this block.
  var firstIndex: Int
  var startAt: Int
  var projectRoot: String
  var announce: (@Sendable (String) -> Void)?

  /// Runs the block; returns how many statements it holds.
  func run(on connection: Connection) async throws -> Int {
    let cursor = SQLScriptCursor(bytes: block.script, path: file.path, projectRoot: projectRoot)
    var index = firstIndex
    var committed = 0
    do {
      while let next = try cursor.next() {
        switch next.item {
        case .statement(let statement):
          guard !statement.text.isEmpty else { continue }
          index += 1
          guard index >= startAt else { continue }
          if statement.isCopyFromStdin {
            throw SQLScriptCursor.configError(
              .unsupportedInMigrationOutsideTransaction(what: "COPY ... FROM stdin"), in: next.file,
              line: statement.line, column: statement.column)
          }
          announce?(statement.text)
          var batch = StatementBatch()
          batch.append(statement, from: next.file)
          let sent = batch
          let outcome = try await connection.withLoadSession { session in
            var message = sent
            try message.withCString { try session.send($0) }
            return try session.collect().error.map {
              SQLLoader.located($0.error, in: sent, resultIndex: $0.index)
            }
          }
          if let error = outcome { throw error }
          committed += 1
          try await MigrationProgress.advance(file.version, to: index, on: connection)
        case .meta(let meta):
          throw SQLScriptCursor.configError(
            .unsupportedInMigrationOutsideTransaction(what: "a psql meta-command"), in: next.file,
            line: meta.line,
            column: meta.column)
        case .copyData, .copyEnd:
          continue
        }
      }
    } catch let error as any CruddurError where committed > 0 {
      throw PartialLoadError(underlying: error, committed: committed)
    }
    return index - firstIndex
  }
}
