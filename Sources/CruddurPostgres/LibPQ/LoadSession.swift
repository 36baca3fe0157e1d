import CruddurCore
internal import CLibPQ

/// The SQL loader's direct use of one connection: send a multi-statement message, read
/// one result per statement, stream COPY data. Valid only inside
/// `Connection.withLoadSession`, on the connection's queue, so libpq is never used from
/// two threads at once.
struct LoadSession {
  let handle: OpaquePointer
  let target: String

  /// What came back for one message.
  struct Outcome {
    /// Results read, the failing one included.
    var resultCount = 0
    /// The first error and the 0-based index of the result (statement) that carried it.
    var error: (error: ServerError, index: Int)?
    /// The server waits for COPY data (`PGRES_COPY_IN`).
    var isCopyIn = false
  }

  /// Sends `sql` (NUL-terminated bytes) as one simple-query message without waiting.
  func send(_ sql: UnsafePointer<CChar>) throws {
    guard PQsendQuery(handle, sql) == 1 else { throw connectionError() }
  }

  /// Reads every result of the message in flight (the server stops at the first error
  /// and skips the rest of the message), or up to the COPY IN result.
  func collect() throws -> Outcome {
    var outcome = Outcome()
    while let result = PQgetResult(handle) {
      defer { PQclear(result) }
      switch PQresultStatus(result) {
      case PGRES_COPY_IN:
        outcome.isCopyIn = true
        return outcome
      case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE:
        outcome.resultCount += 1
      case PGRES_COPY_BOTH:
        // A replication stream never ends by itself: reading on would wait for ever.
        throw ResultProtocolError(kind: .copyBoth, target: target)
      case PGRES_COPY_OUT:
        // `COPY ... TO stdout` in a script: psql prints the data; a loader has no use
        // for it, so the data is read and dropped.
        outcome.resultCount += 1
        drainCopyOut()
      default:
        if outcome.error == nil {
          guard let error = Connection.serverError(result) else { throw connectionError() }
          outcome.error = (error, outcome.resultCount)
        }
        outcome.resultCount += 1
      }
    }
    if PQstatus(handle) != CONNECTION_OK { throw connectionError() }
    return outcome
  }

  /// Sends one piece of COPY data (blocking mode: libpq queues and flushes it).
  func putCopyData(_ bytes: UnsafeBufferPointer<UInt8>) throws {
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
    let sent = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
      PQputCopyData(handle, $0, Int32(bytes.count))
    }
    guard sent == 1 else { throw connectionError() }
  }

  /// Ends the COPY data and returns the COPY's own outcome.
  func endCopy() throws -> Outcome {
    guard PQputCopyEnd(handle, nil) == 1 else { throw connectionError() }
    return try collect()
  }

  private func drainCopyOut() {
    var buffer: UnsafeMutablePointer<CChar>?
    while PQgetCopyData(handle, &buffer, 0) > 0 {
      if let buffer { PQfreemem(buffer) }
      buffer = nil
    }
  }

  private func connectionError() -> ConnectionError {
    ConnectionError(message: Connection.errorMessage(handle), target: target)
  }
}
