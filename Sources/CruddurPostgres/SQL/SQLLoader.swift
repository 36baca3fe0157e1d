import CruddurCore
import CruddurDigest
import Foundation
import Synchronization

/// Loads one SQL file (and its includes) into a database: statements batched into
/// multi-statement simple-query messages, COPY data streamed, meta-commands obeyed, and
/// every server error mapped back to file:line:col.
///
/// Simple-query batches rather than pipeline mode: libpq 15 refuses `PQsendQuery` and
/// COPY inside a pipeline, a batch costs one round trip per ~1,000 statements, and the
/// next batch is read from the file while the server runs the previous one.
final class SQLLoader: @unchecked Sendable {
  // Invariant: one task drives a loader from start to end; its synchronous part runs
  // inside `Connection.withLoadSession`, one call at a time, so no state is shared.

  struct Options {
    var inTransaction: Bool
    /// The file was checked when the task was decoded; otherwise statement and
    /// meta-command rules are enforced as the file is read.
    var isChecked: Bool
    /// The SHA-256 the plan recorded for the file: in one transaction, bytes that differ
    /// (the file changed between plan and load) are never committed.
    var expectedDigest: String? = nil
    /// Runs on the first connection just before COMMIT (a migration's record, so it is
    /// committed with the migration or not at all); after the last statement without one.
    var beforeCommit: (@Sendable (Connection) async throws -> Void)? = nil
    /// `lock_timeout` and `statement_timeout`: `SET LOCAL` in the transaction, or, without
    /// one, set on each session used and reset at the end.
    var timeouts: LockTimeoutPolicy? = nil
  }

  /// Why the synchronous part returned.
  private enum Stop: Sendable {
    case finished
    /// `\connect` at `line`:`column` of `file`.
    case connect(
      database: String?, user: String?, file: SQLScriptCursor.File, line: Int, column: Int)
  }

  private let cursor: SQLScriptCursor
  private let options: Options
  private let progress: LoadProgress
  private var batch = StatementBatch()
  private var inFlight: StatementBatch?
  /// The last batch sent, emptied once its results came back.
  private var spare: StatementBatch?
  private(set) var statementCount = 0
  /// Without the file's transaction: statements the server ran and committed, so a
  /// failure can say how much of the file stays applied.
  private(set) var committedCount = 0
  /// Set when the task is cancelled. A cancel request stops what the server runs; this
  /// stops the loop between statements, when the server may be idle.
  private let cancellation = CancellationFlag()

  private let displayPath: String
  /// Hashes the bytes loaded, to compare with the plan's digest before COMMIT.
  private var sentDigest: SHA256?

  /// With `-v`: told each statement as it is queued, for the console to show.
  private let announce: (@Sendable (String) -> Void)?

  convenience init(
    path: String, projectRoot: String, options: Options, totalBytes: Int?,
    progress report: (@Sendable (StepProgress) -> Void)? = nil,
    announce: (@Sendable (String) -> Void)? = nil
  ) throws {
    try self.init(
      cursor: SQLScriptCursor(path: path, projectRoot: projectRoot),
      displayPath: SourceLoader(root: projectRoot).relative(path),
      options: options, progress: LoadProgress(totalBytes: totalBytes, report: report),
      announce: announce)
  }

  /// The file's bytes and where planning found each statement in them (`SQLScriptScan`'s
  /// spans): loaded from there, the file is not lexed a second time.
  private let planned: (bytes: [UInt8], spans: [StatementSpan])?

  /// Loads what `cursor` reads (a migration block held in memory), or, with `planned`, the
  /// statements planning found in the bytes `cursor` holds (checked: `options.isChecked`).
  init(
    cursor: SQLScriptCursor, displayPath: String, options: Options,
    progress: LoadProgress = LoadProgress(totalBytes: nil, report: nil),
    announce: (@Sendable (String) -> Void)? = nil,
    planned: (bytes: [UInt8], spans: [StatementSpan])? = nil
  ) {
    precondition(
      planned == nil || options.isChecked, "planned statements were checked when planned")
    self.planned = planned
    self.cursor = cursor
    self.options = options
    self.displayPath = displayPath
    if options.expectedDigest != nil, options.inTransaction {
      let hasher = SHA256()
      cursor.observeMainFile { hasher.update($0) }
      sentDigest = hasher
    }
    self.announce = announce
    self.progress = progress
  }

  /// Runs the whole file. `connect` opens (or reuses) a connection to another database of
  /// the same server for `\connect`. With a transaction, each connection used gets one,
  /// committed together at the end or rolled back on any failure.
  ///
  /// Without a transaction, `\connect` ends the session it leaves, as psql does, through
  /// `disconnect`: a later `DROP DATABASE` of the database left must not find it in use.
  func run(
    on first: Connection,
    connect: @escaping @Sendable (_ database: String?, _ user: String?) async throws -> Connection,
    disconnect: @escaping @Sendable (Connection) async -> Void = { _ in }
  ) async throws {
    let heartbeat = Task { [progress] in await progress.heartbeat() }
    // Awaited, not only cancelled: a report after the step's end would be drawn after its
    // "done" line.
    func stopHeartbeat() async {
      heartbeat.cancel()
      await heartbeat.value
    }
    do {
      try await withTaskCancellationHandler {
        try await load(on: first, connect: connect, disconnect: disconnect)
      } onCancel: {
        cancellation.set()
      }
    } catch {
      await stopHeartbeat()
      throw error
    }
    await stopHeartbeat()
  }

  private func load(
    on first: Connection,
    connect: @escaping @Sendable (_ database: String?, _ user: String?) async throws -> Connection,
    disconnect: @escaping @Sendable (Connection) async -> Void
  ) async throws {
    var connection = first
    var open: [Connection] = []
    // Sessions given the timeouts for the file's length (no transaction): reset at the end.
    var timed: [Connection] = []
    func resetTimeouts() async {
      guard let reset = options.timeouts?.resetSettings else { return }
      for connection in timed { _ = try? await connection.execute(reset) }
    }
    do {
      while true {
        if options.inTransaction && !open.contains(where: { $0 === connection }) {
          // One round trip: the settings ride with BEGIN.
          try await connection.execute(
            ["BEGIN", options.timeouts?.localSettings].compactMap { $0 }.joined(separator: "; "))
          open.append(connection)
        } else if !options.inTransaction, let settings = options.timeouts?.sessionSettings,
          !timed.contains(where: { $0 === connection })
        {
          try await connection.execute(settings)
          timed.append(connection)
        }
        let stop = try await connection.withLoadSession { session in try self.runUntilStop(session)
        }
        guard case .connect(let database, let user, let file, let line, let column) = stop else {
          break
        }
        announce?("\\connect " + (database ?? "-") + (user.map { " " + $0 } ?? ""))
        do {
          let next = try await connect(database, user)
          if !options.inTransaction, next !== connection { await disconnect(connection) }
          connection = next
        } catch let error as ConnectionError {
          throw RunError(
            .connectFailed(
              reason: error.message,
              at: SourceLocation(path: file.displayPath, line: line, column: column)))
        }
      }
      if let sentDigest, let expected = options.expectedDigest, sentDigest.finalizeHex() != expected
      {
        throw RunError(.sqlFileChanged(path: displayPath, sha256: expected))
      }
      try await options.beforeCommit?(first)
      for connection in open { try await connection.execute("COMMIT") }
      await resetTimeouts()
    } catch {
      for connection in open { _ = try? await connection.execute("ROLLBACK") }
      await resetTimeouts()
      if !options.inTransaction, committedCount > 0, let error = error as? any CruddurError {
        throw PartialLoadError(underlying: error, committed: committedCount)
      }
      throw error
    }
  }

  private func runUntilStop(_ session: LoadSession) throws -> Stop {
    if let planned, let file = cursor.currentFile {
      try runPlanned(planned.bytes, planned.spans, from: file, session)
      return .finished
    }
    while let next = try cursor.next() {
      if cancellation.isSet { throw CancellationError() }
      switch next.item {
      case .statement(let statement):
        guard !statement.text.isEmpty else { continue }
        statementCount += 1
        announce?(statement.text)
        if !options.isChecked, let problem = statement.problem(inTransaction: options.inTransaction)
        {
          throw SQLScriptCursor.configError(
            problem, in: next.file, line: statement.line, column: statement.column)
        }
        if statement.isCopyFromStdin {
          try drain(session)
          try copy(statement, from: next.file, session)
        } else {
          var text = statement.text
          try text.withUTF8 { bytes in
            try queue(
              bytes, line: statement.line, column: statement.column, from: next.file,
              runsAlone: statement.mustRunOutsideTransaction || statement.isTransactionControl
                || statement.settingChange != nil, session)
          }
        }
      case .meta(let meta):
        try drain(session)
        switch meta.action {
        case .success(.connect(let database, let user)):
          return .connect(
            database: database, user: user, file: next.file, line: meta.line, column: meta.column)
        case .success:
          continue
        case .failure(let error):
          throw SQLScriptCursor.configError(
            error.kind, in: next.file, line: meta.line, column: meta.column)
        }
      case .copyData, .copyEnd:
        // The reader yields these only after a COPY statement, which `copy` consumes.
        continue
      }
      progress.update(statements: statementCount, bytes: cursor.bytesRead)
    }
    try send(session)
    // Every byte is with the server now; from here the load waits for it, and says so.
    progress.allSent(statements: statementCount)
    try finishInFlight(session)
    return .finished
  }

  /// The statements planning found, from the bytes it checked: no lexing, no `String`.
  private func runPlanned(
    _ bytes: [UInt8], _ spans: [StatementSpan], from file: SQLScriptCursor.File,
    _ session: LoadSession
  ) throws {
    try bytes.withUnsafeBufferPointer { all in
      for span in spans {
        if cancellation.isSet { throw CancellationError() }
        let text = UnsafeBufferPointer(rebasing: all[span.offset..<span.offset + Int(span.length)])
        statementCount += 1
        announce?(String(decoding: text, as: UTF8.self))
        try queue(
          text, line: Int(span.line), column: Int(span.column), from: file,
          runsAlone: span.runsAlone, session)
        // Between two sends nothing waits, so figures taken every 64 statements (and at
        // each send) show the same progress; reading the clock for each was 5% of a load.
        if statementCount & 63 == 0 || batch.isEmpty {
          progress.update(statements: statementCount, bytes: span.offset + Int(span.length))
        }
      }
    }
    try send(session)
    progress.allSent(statements: statementCount)
    try finishInFlight(session)
  }

  /// Adds a statement to the batch, or sends it alone: the batching rules.
  private func queue(
    _ text: UnsafeBufferPointer<UInt8>, line: Int, column: Int, from file: SQLScriptCursor.File,
    runsAlone: Bool, _ session: LoadSession
  ) throws {
    if runsAlone {
      // Alone: the server refuses some of these inside a multi-statement message, and
      // the others change how the statements after them run.
      try drain(session)
      batch.append(text, line: line, column: column, from: file)
      try send(session)
      try drain(session)
    } else {
      batch.append(text, line: line, column: column, from: file)
      // Without the file's transaction each statement must commit on its own, as with
      // `psql -f`: a multi-statement message is one implicit transaction, so a failure
      // in it would also undo the statements before it.
      if batch.isFull || !options.inTransaction { try send(session) }
    }
  }

  /// Sends the batch being built, after the one in flight has come back.
  private func send(_ session: LoadSession) throws {
    try finishInFlight(session)
    guard !batch.isEmpty else { return }
    try batch.withCString { try session.send($0) }
    inFlight = batch
    batch = spare ?? StatementBatch()
    spare = nil
  }

  /// Sends what is pending and waits for every result.
  private func drain(_ session: LoadSession) throws {
    try send(session)
    try finishInFlight(session)
  }

  private func finishInFlight(_ session: LoadSession) throws {
    guard var sent = inFlight else { return }
    inFlight = nil
    let outcome = try session.collect()
    if let (error, index) = outcome.error {
      if !options.inTransaction { committedCount += index }
      throw Self.located(error, in: sent, resultIndex: index)
    }
    if !options.inTransaction { committedCount += outcome.resultCount }
    // Its storage serves the batch after next: no allocation, no regrowth per batch.
    sent.removeAll()
    spare = sent
  }

  /// `COPY ... FROM stdin`: the statement alone, then its data block up to `\.`.
  private func copy(
    _ statement: SQLStatement, from file: SQLScriptCursor.File, _ session: LoadSession
  ) throws {
    var single = StatementBatch()
    single.append(statement, from: file)
    try single.withCString { try session.send($0) }
    let started = try session.collect()
    if let (error, index) = started.error {
      // The data lines are never run as SQL (psql would): the COPY's error is the report.
      throw Self.located(error, in: single, resultIndex: index)
    }
    guard started.isCopyIn else { return }
    while let next = try cursor.next() {
      switch next.item {
      case .copyData(let bytes):
        try bytes.withUnsafeBufferPointer { try session.putCopyData($0) }
        // A dump's COPY can be most of the file: progress moves with its data too.
        progress.update(statements: statementCount, bytes: cursor.bytesRead)
      case .copyEnd:
        let ended = try session.endCopy()
        if let (error, _) = ended.error {
          throw Self.locatedCopy(error, statement: statement, file: file)
        }
        return
      case .statement, .meta:
        return
      }
    }
  }

  static func located(_ error: ServerError, in batch: StatementBatch, resultIndex: Int)
    -> ServerError
  {
    var error = error
    guard
      let (entry, line, column) = batch.locate(position: error.position, resultIndex: resultIndex)
    else {
      return error
    }
    error.location = SourceLocation(path: entry.file.displayPath, line: line, column: column)
    return error
  }

  /// A failed COPY names the bad row in its CONTEXT ("COPY t, line 3, column b: ...");
  /// line 1 is the first data line, just after the COPY statement.
  static func locatedCopy(_ error: ServerError, statement: SQLStatement, file: SQLScriptCursor.File)
    -> ServerError
  {
    var error = error
    var line = statement.line
    var column = statement.column
    if let context = error.context, let row = copyRow(in: context) {
      line = statement.copyDataFirstLine + row - 1
      column = 1
    }
    error.location = SourceLocation(path: file.displayPath, line: line, column: column)
    return error
  }

  static func copyRow(in context: String) -> Int? {
    guard let range = context.range(of: ", line ") else { return nil }
    return Int(context[range.upperBound...].prefix(while: \.isNumber))
  }
}

/// A `transaction: false` file failed after some of its statements were committed: the
/// error says how many stay applied, since nothing rolls them back.
struct PartialLoadError: CruddurError {
  var underlying: any CruddurError
  var committed: Int
  var exitStatus: ExitStatus { underlying.exitStatus }
  var diagnostics: [Diagnostic] {
    var list = underlying.diagnostics
    let note = Diagnostic.Note(
      "\(committed) statement\(committed == 1 ? "" : "s") committed before the failure (`transaction: false`)"
    )
    if list.isEmpty { return [.error(note.message)] }
    list[0].notes.append(note)
    return list
  }
}

/// A flag one thread sets and another reads.
private final class CancellationFlag: Sendable {
  private let value = Mutex(false)
  func set() { value.withLock { $0 = true } }
  var isSet: Bool { value.withLock { $0 } }
}
