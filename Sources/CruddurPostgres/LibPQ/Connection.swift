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
  /// Where server notices go while a step holds the connection; nil drops them.
  private let noticeHandler = Mutex<(@Sendable (String) -> Void)?>(nil)

  private init(handle: OpaquePointer, info: ConnInfo) {
    self.handle = handle
    self.info = info
    self.queue = DispatchQueue(label: "cruddur.libpq")
    self.cancelHandle = PQgetCancel(handle)
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

  /// Connects; the password travels in libpq's parameters, never in a message.
  public static func connect(_ info: ConnInfo, applicationName: String = "cruddur") async throws -> Connection {
    var info = info
    if info["application_name"] == nil { info["application_name"] = applicationName }
    if info["connect_timeout"] == nil { info["connect_timeout"] = "10" }
    let connectInfo = info
    try LibPQ.load()
    return try await Blocking.run {
      guard let handle = connectInfo.withKeywordArrays({ PQconnectdbParams($0, $1, 0) }) else {
        throw ConnectionError(message: "out of memory", target: connectInfo.description)
      }
      guard PQstatus(handle) == CONNECTION_OK else {
        let message = Self.errorMessage(handle)
        PQfinish(handle)
        throw ConnectionError(message: message, target: connectInfo.description, help: Self.help(for: message))
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
  }

  deinit {
    if let cancelHandle { PQfreeCancel(cancelHandle) }
    if !isClosed { PQfinish(handle) }
  }

  public func close() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      queue.async {
        if !self.isClosed {
          PQfinish(self.handle)
          self.isClosed = true
        }
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
      var announced = false
      var chunk: [[String?]] = []
      chunk.reserveCapacity(chunkSize)
      var count = 0
      var tag = ""
      var failure: (any Error)?
      // libpq needs every result read until NULL, also after an error, before the
      // connection takes the next command.
      while let result = PQgetResult(self.handle) {
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        switch status {
        case PGRES_SINGLE_TUPLE, PGRES_TUPLES_OK:
          if !announced {
            announced = true
            onColumns(Self.columns(of: result))
          }
          guard status == PGRES_SINGLE_TUPLE else {
            tag = String(cString: PQcmdStatus(result))
            continue
          }
          let columnCount = PQnfields(result)
          var row: [String?] = []
          row.reserveCapacity(Int(columnCount))
          for c in 0..<columnCount {
            row.append(PQgetisnull(result, 0, c) == 1 ? nil : String(cString: PQgetvalue(result, 0, c)))
          }
          chunk.append(row)
          count += 1
          if chunk.count == chunkSize {
            onRows(chunk)
            chunk.removeAll(keepingCapacity: true)
          }
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
          if !announced {
            announced = true
            onColumns(RowColumns(names: []))
          }
          tag = String(cString: PQcmdStatus(result))
        default:
          if failure == nil {
            failure =
              Self.serverError(result) ?? ConnectionError(message: Self.errorMessage(self.handle), target: self.info.description)
          }
        }
      }
      if !chunk.isEmpty { onRows(chunk) }
      if let failure { throw failure }
      return StreamedResult(rowCount: count, commandTag: tag)
    }
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

  private func onQueue<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        queue.async { continuation.resume(with: Result { try body() }) }
      }
    } onCancel: {
      self.cancel()
    }
  }

  private func check(_ result: OpaquePointer?) throws -> QueryResult {
    guard let result else {
      throw ConnectionError(message: Self.errorMessage(handle), target: info.description)
    }
    defer { PQclear(result) }
    switch PQresultStatus(result) {
    case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE:
      return QueryResult(result)
    default:
      throw Self.serverError(result) ?? ConnectionError(message: Self.errorMessage(handle), target: info.description)
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
