import CruddurCore
import Foundation
import Synchronization
internal import CLibPQ

/// One libpq connection. Its blocking calls run on a private serial queue, off Swift's
/// cooperative pool, and a task's cancellation sends a cancel request to the server.
public final class Connection: @unchecked Sendable {
  // Invariant: `handle` is touched only on `queue` (serially) or by `cancel()`, which
  // uses a PGcancel object libpq documents as safe to use from another thread.
  private let handle: OpaquePointer
  private let queue: DispatchQueue
  private let cancelHandle: OpaquePointer?
  public let info: ConnInfo
  private var isClosed = false
  /// The connected socket, fixed once connected: shut down from another thread when a
  /// statement does not stop after a cancel request (shutdown, unlike close, cannot
  /// hand the number to another file while libpq still holds it).
  let socket: Int32
  /// How long a statement may take to stop after the cancel request before its socket is
  /// shut and the connection given up.
  static let cancelGrace: Duration = .seconds(5)
  /// Where server notices go while a step holds the connection; nil drops them.
  private let noticeHandler = Mutex<(@Sendable (String) -> Void)?>(nil)

  private init(handle: OpaquePointer, info: ConnInfo) {
    self.handle = handle
    self.info = info
    self.queue = DispatchQueue(label: "cruddur.libpq")
    self.cancelHandle = PQgetCancel(handle)
    self.socket = PQsocket(handle)
  }

  /// Sends the server's notices (`RAISE NOTICE`, "does not exist, skipping") to `handler`,
  /// one message at a time, without libpq's trailing newline.
  func onNotice(_ handler: (@Sendable (String) -> Void)?) {
    noticeHandler.withLock { $0 = handler }
  }

  fileprivate func deliverNotice(_ message: String) {
    let handler = noticeHandler.withLock { $0 }
    handler?(message.trimmingTrailingNewlines())
  }

  /// Open, outside any transaction, with nothing in flight: safe for another step to use.
  var isReusable: Bool {
    get async {
      (try? await onQueue { PQstatus(self.handle) == CONNECTION_OK && PQtransactionStatus(self.handle) == PQTRANS_IDLE })
        ?? false
    }
  }

  /// Connects; the password travels in libpq's parameters, never in a message. Connecting
  /// is a cancellable wait (PQconnectStartParams, then PQconnectPoll while polling the
  /// socket and a stop pipe) bounded by `connect_timeout`: a server that accepts and never
  /// answers cannot hold a stopped run. TCP connections get keepalives and a user timeout,
  /// so a peer that vanished mid-statement is noticed by the kernel, not waited for.
  public static func connect(_ info: ConnInfo, applicationName: String = "cruddur") async throws -> Connection {
    var info = info
    if info["application_name"] == nil { info["application_name"] = applicationName }
    if info["connect_timeout"] == nil { info["connect_timeout"] = "10" }
    // libpq ignores these on a Unix socket.
    for (key, value) in Self.keepaliveDefaults where info[key] == nil { info[key] = value }
    let connectInfo = info
    try LibPQ.load()
    try Task.checkCancellation()
    let stop = try StopPipe()
    defer { stop.close() }
    return try await withTaskCancellationHandler {
      try await Blocking.run { try Self.connectPolling(connectInfo, stop: stop) }
    } onCancel: {
      stop.signal()
    }
  }

  /// Idle 30 s before the first probe, then every 10 s, given up after 3; unacknowledged
  /// data given up after 60 s.
  static let keepaliveDefaults = [
    ("keepalives", "1"), ("keepalives_idle", "30"), ("keepalives_interval", "10"), ("keepalives_count", "3"),
    ("tcp_user_timeout", "60000"),
  ]

  private static func connectPolling(_ connectInfo: ConnInfo, stop: StopPipe) throws -> Connection {
    guard let handle = connectInfo.withKeywordArrays({ PQconnectStartParams($0, $1, 0) }) else {
      throw ConnectionError(message: "out of memory", target: connectInfo.description)
    }
    func fail(_ message: String) -> ConnectionError {
      PQfinish(handle)
      return ConnectionError(message: message, target: connectInfo.description, help: Self.help(for: message))
    }
    guard PQstatus(handle) != CONNECTION_BAD else { throw fail(Self.errorMessage(handle)) }
    // PQconnectPoll ignores connect_timeout: the deadline is ours (libpq's own minimum is 2 s).
    let seconds = Double(connectInfo["connect_timeout"] ?? "") ?? 0
    let deadline: ContinuousClock.Instant? = seconds > 0 ? .now + .seconds(max(seconds, 2)) : nil
    var state = PGRES_POLLING_WRITING
    while state != PGRES_POLLING_OK {
      guard state == PGRES_POLLING_READING || state == PGRES_POLLING_WRITING else {
        throw fail(Self.errorMessage(handle))
      }
      var entries = [
        pollfd(fd: PQsocket(handle), events: Int16(state == PGRES_POLLING_READING ? POLLIN : POLLOUT), revents: 0),
        pollfd(fd: stop.readEnd, events: Int16(POLLIN), revents: 0),
      ]
      var timeout: Int32 = -1
      if let deadline {
        let left = deadline - .now
        guard left > .zero else { throw fail("timeout expired") }
        timeout = Int32(min(left.seconds * 1000, 3_600_000).rounded(.up))
      }
      let ready = poll(&entries, nfds_t(entries.count), timeout)
      if entries[1].revents != 0 {
        PQfinish(handle)
        throw CancellationError()
      }
      if ready == 0 || (ready < 0 && errno == EINTR) { continue }
      state = PQconnectPoll(handle)
    }
    let connection = Connection(handle: handle, info: connectInfo)
    // libpq would print notices to stderr raw; they become the holding step's output.
    // The connection outlives its handle (PQfinish runs in close or deinit), so the
    // unretained pointer is valid whenever libpq calls back.
    PQsetNoticeProcessor(
      handle,
      { argument, message in
        guard let argument, let message else { return }
        Unmanaged<Connection>.fromOpaque(argument).takeUnretainedValue().deliverNotice(String(cString: message))
      }, Unmanaged.passUnretained(connection).toOpaque())
    return connection
  }

  deinit {
    if let cancelHandle { PQfreeCancel(cancelHandle) }
    if !isClosed { PQfinish(handle) }
  }

  public func close() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      queue.async {
        self.closeOnQueue()
        continuation.resume()
      }
    }
  }

  /// Runs SQL text with the simple query protocol (several statements allowed).
  @discardableResult
  public func execute(_ sql: String) async throws -> QueryResult {
    try await onQueue { try self.check(PQexec(self.handle, sql)) }
  }

  /// Runs one statement with bound parameters (`$1`...), never spliced into the text.
  public func execute(_ sql: String, parameters: [String?]) async throws -> QueryResult {
    try await onQueue {
      let copies = parameters.map { $0.map { strdup($0) } ?? nil }
      defer { copies.forEach { free($0) } }
      let pointers = copies.map { UnsafePointer<CChar>($0) }
      let result = pointers.withUnsafeBufferPointer { buffer in
        PQexecParams(self.handle, sql, Int32(parameters.count), nil, buffer.baseAddress, nil, nil, 0)
      }
      return try self.check(result)
    }
  }

  /// Runs one statement with bound parameters in libpq's single-row mode and hands its rows
  /// to `onRows` in chunks of `chunkSize` as they arrive (the last one may be shorter), so a
  /// result of any size is held one chunk at a time. `onColumns` is called once, before any
  /// rows (with no columns for a command that returns none). Both run on the connection's
  /// queue; what they do with the rows (print them) keeps the server waiting, which is the
  /// back-pressure that keeps memory flat. Rows sent before an error have been delivered.
  /// libpq 15 has no chunked mode (17 does); one PGresult per row is what single-row costs.
  public func stream(
    _ sql: String, parameters: [String?], chunkSize: Int = 1000,
    onColumns: @escaping @Sendable (RowColumns) -> Void,
    onRows: @escaping @Sendable ([[String?]]) -> Void
  ) async throws -> StreamedResult {
    try await onQueue {
      let copies = parameters.map { $0.map { strdup($0) } ?? nil }
      defer { copies.forEach { free($0) } }
      let pointers = copies.map { UnsafePointer<CChar>($0) }
      let sent = pointers.withUnsafeBufferPointer { buffer in
        PQsendQueryParams(self.handle, sql, Int32(parameters.count), nil, buffer.baseAddress, nil, nil, 0)
      }
      guard sent == 1 else { throw ConnectionError(message: Self.errorMessage(self.handle), target: self.info.description) }
      // Must follow the send at once, before any result is read.
      _ = PQsetSingleRowMode(self.handle)
      var chunk: [[String?]] = []
      chunk.reserveCapacity(chunkSize)
      defer { if !chunk.isEmpty { onRows(chunk) } }
      let read = try self.readResults(
        startingWith: nil, onColumns: onColumns,
        onRow: { row in
          chunk.append(row)
          if chunk.count == chunkSize {
            onRows(chunk)
            chunk.removeAll(keepingCapacity: true)
          }
        })
      return StreamedResult(rowCount: read.rowCount, commandTag: read.commandTag)
    }
  }

  /// Reads every result of the statement in flight, `first` (what `PQexec` returned) then
  /// what `PQgetResult` gives until NULL, since libpq needs all of them read, also after an
  /// error, before the connection takes the next command. Rows go to `onRow` as they come;
  /// `COPY … TO STDOUT` rows come as one column, `copy`, each line as the server wrote it
  /// (text, csv, any delimiter), so they print like any query's rows. Rows before an error
  /// have been delivered. Runs on the queue.
  private func readResults(
    startingWith first: OpaquePointer?, onColumns: (RowColumns) -> Void, onRow: ([String?]) -> Void
  ) throws -> (rowCount: Int, commandTag: String) {
    var announced = false
    func announce(_ columns: @autoclosure () -> RowColumns) {
      if !announced {
        announced = true
        onColumns(columns())
      }
    }
    var count = 0
    var tag = ""
    var failure: (any Error)?
    var pending = first
    while let result = pending ?? PQgetResult(handle) {
      pending = nil
      defer { PQclear(result) }
      switch ResultStatus(PQresultStatus(result)) {
      case .rows(let isLastOfStatement):
        announce(Self.columns(of: result))
        // In single-row mode the last result has no rows; from PQexec it has them all.
        let columnCount = PQnfields(result)
        for r in 0..<PQntuples(result) {
          var row: [String?] = []
          row.reserveCapacity(Int(columnCount))
          for c in 0..<columnCount {
            row.append(PQgetisnull(result, r, c) == 1 ? nil : String(cString: PQgetvalue(result, r, c)))
          }
          onRow(row)
          count += 1
        }
        if isLastOfStatement { tag = String(cString: PQcmdStatus(result)) }
      case .done:
        announce(RowColumns(names: []))
        tag = String(cString: PQcmdStatus(result))
      case .copyOut:
        announce(RowColumns(names: ["copy"]))
        let isBinary = PQbinaryTuples(result) == 1
        if isBinary, failure == nil { failure = ResultProtocolError(kind: .binaryCopyOutput, target: info.description) }
        // Reads to the end of the data either way: the COPY's own result follows it.
        readCopyOut { line in
          guard !isBinary else { return }
          onRow([line])
          count += 1
        }
      case .copyIn:
        if failure == nil { failure = ResultProtocolError(kind: .copyInWithoutData, target: info.description) }
        // Ending the COPY with an error message makes the server fail it and leaves the
        // connection ready for the next command; the server's error result then follows.
        if PQputCopyEnd(handle, "cruddur sends COPY data only from sql: files") != 1 {
          throw ConnectionError(message: Self.errorMessage(handle), target: info.description)
        }
      case .copyBoth, .pipeline, .unknown:
        // No ordinary result follows these: asking again would return the same one for ever.
        let kind: ResultProtocolError.Kind
        switch ResultStatus(PQresultStatus(result)) {
        case .copyBoth: kind = .copyBoth
        case .pipeline(let name): kind = .unexpected(status: name)
        default: kind = .unexpected(status: "status \(PQresultStatus(result).rawValue)")
        }
        closeOnQueue()
        throw failure ?? ResultProtocolError(kind: kind, target: info.description)
      case .failure:
        if failure == nil {
          failure = Self.serverError(result) ?? ConnectionError(message: Self.errorMessage(handle), target: info.description)
        }
      }
    }
    if let failure { throw failure }
    return (count, tag)
  }

  /// The rows of a `COPY … TO STDOUT`, one line each without its newline, until the data
  /// ends (or the connection fails: the error result follows). Runs on the queue.
  private func readCopyOut(_ onLine: (String) -> Void) {
    var buffer: UnsafeMutablePointer<CChar>?
    while true {
      let length = PQgetCopyData(handle, &buffer, 0)
      guard length > 0, let data = buffer else { return }
      defer {
        PQfreemem(data)
        buffer = nil
      }
      var bytes = UnsafeRawBufferPointer(start: data, count: Int(length))
      if bytes.last == 0x0A { bytes = UnsafeRawBufferPointer(rebasing: bytes.dropLast()) }
      onLine(String(decoding: bytes, as: UTF8.self))
    }
  }

  /// Ends the connection from its queue; every later call is refused by `onQueue`.
  private func closeOnQueue() {
    guard !isClosed else { return }
    PQfinish(handle)
    isClosed = true
  }

  static func columns(of result: OpaquePointer) -> RowColumns {
    let count = PQnfields(result)
    return RowColumns(
      names: (0..<count).map { String(cString: PQfname(result, $0)) },
      numeric: Set((0..<count).filter { QueryResult.numericTypes.contains(PQftype(result, $0)) }.map(Int.init)),
      // 16 is `bool`'s type OID.
      boolean: Set((0..<count).filter { PQftype(result, $0) == 16 }.map(Int.init)))
  }

  /// Runs `body` with exclusive use of the libpq handle, off the cooperative pool; the
  /// SQL loader drives the protocol itself through it. Cancelling the task sends a cancel
  /// request, which makes the statement running on the server fail.
  func withLoadSession<T: Sendable>(_ body: @escaping @Sendable (LoadSession) throws -> T) async throws -> T {
    try await onQueue { try body(LoadSession(handle: self.handle, target: self.info.description)) }
  }

  /// Escapes an identifier the way the server expects (`"my db"`).
  public func quoteIdentifier(_ name: String) async throws -> String {
    try await onQueue {
      guard let quoted = PQescapeIdentifier(self.handle, name, name.utf8.count) else {
        throw ConnectionError(message: Self.errorMessage(self.handle), target: self.info.description)
      }
      defer { PQfreemem(quoted) }
      return String(cString: quoted)
    }
  }

  /// Asks the server to stop the running statement; safe from any thread.
  public func cancel() {
    guard let cancelHandle else { return }
    var buffer = [CChar](repeating: 0, count: 256)
    _ = PQcancel(cancelHandle, &buffer, Int32(buffer.count))
  }

  /// Runs `body` on the queue. A stopped task starts no libpq call: the check is made on
  /// the queue, just before the call, since a call queued behind another one would start
  /// after the stop otherwise (a DROP DATABASE behind a slow connect). Stopping a call
  /// that runs sends a cancel request; a server that does not end the statement within
  /// `cancelGrace` loses the connection.
  private func onQueue<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try Task.checkCancellation()
    let call = QueuedCall()
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        queue.async {
          // A closed handle is freed memory: no libpq call may start on it.
          guard !self.isClosed else {
            continuation.resume(throwing: ConnectionError(message: "the connection was closed", target: self.info.description))
            return
          }
          guard call.start() else {
            continuation.resume(throwing: CancellationError())
            return
          }
          let result = Result { try body() }
          call.finish()
          if call.wasAbandoned { self.closeOnQueue() }
          continuation.resume(with: result)
        }
      }
    } onCancel: {
      if call.cancel() { self.stop(call) }
    }
  }

  /// Asks the server to end the running statement, off the cancelling thread (PQcancel
  /// blocks until the server answers, which a hung server never does), and shuts the
  /// socket if the statement is still running after the grace period.
  private func stop(_ call: QueuedCall) {
    Thread.detachNewThread { self.cancel() }
    let socket = self.socket
    DispatchQueue.global().asyncAfter(deadline: .now() + Self.cancelGrace.seconds) {
      guard call.abandon() else { return }
      self.deliverNotice(
        "the server did not stop the statement within \(Int(Self.cancelGrace.seconds)) s of the cancel request; connection closed"
      )
      _ = shutdown(socket, Int32(SHUT_RDWR))
    }
  }

  private func check(_ result: OpaquePointer?) throws -> QueryResult {
    guard let result else {
      throw ConnectionError(message: Self.errorMessage(handle), target: info.description)
    }
    switch ResultStatus(PQresultStatus(result)) {
    case .rows, .done:
      defer { PQclear(result) }
      return QueryResult(result)
    case .failure:
      defer { PQclear(result) }
      throw Self.serverError(result) ?? ConnectionError(message: Self.errorMessage(handle), target: info.description)
    case .copyOut, .copyIn, .copyBoth, .pipeline, .unknown:
      // PQexec returns at a COPY with the protocol half done; the one reader finishes it
      // (and clears `result`).
      var rows: [[String?]] = []
      let read = try readResults(startingWith: result, onColumns: { _ in }, onRow: { rows.append($0) })
      return QueryResult(columns: ["copy"], rows: rows, commandTag: read.commandTag)
    }
  }

  static func serverError(_ result: OpaquePointer) -> ServerError? {
    ServerError { PQresultErrorField(result, $0).map { String(cString: $0) } }
  }

  static func errorMessage(_ handle: OpaquePointer) -> String {
    let raw = PQerrorMessage(handle).map { String(cString: $0) } ?? "unknown error"
    // libpq's multi-line messages become one line; the password is never in them, but
    // mask anyway in case a URL was echoed back.
    // One line for the diagnostic, but the sentences stay sentences: "Connection refused.
    // Is the server running...", not "Connection refused Is the server running...".
    let lines = raw.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }
    let joined = lines.enumerated().map { index, line in
      index < lines.count - 1 && !(line.last.map { ".?!:;".contains($0) } ?? true) ? line + "." : line
    }.joined(separator: " ")
    return Redaction.redact(joined)
  }

  private static func help(for message: String) -> String? {
    if message.contains("Connection refused") || message.contains("No such file or directory") {
      return "is the server running? For a local environment, `embedded: true` lets cruddur start one"
    }
    if message.contains("password authentication failed") {
      return "check the user and password in the environment's URL"
    }
    return nil
  }
}
