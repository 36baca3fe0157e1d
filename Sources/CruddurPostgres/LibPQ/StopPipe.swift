import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A pipe a blocked poll(2) also waits on, so another thread can wake it: a cancelled
/// connect stops at once instead of at `connect_timeout`.
final class StopPipe: Sendable {
  let readEnd: Int32
  private let writeEnd: Int32
  /// A cancellation handler may run while the connect returns: no write after close.
  private let isClosed = Mutex(false)

  init() throws {
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EMFILE) }
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    readEnd = fds[0]
    writeEnd = fds[1]
  }

  func signal() {
    isClosed.withLock { closed in
      guard !closed else { return }
      var byte: UInt8 = 1
      _ = write(writeEnd, &byte, 1)
    }
  }

  /// Called once nothing polls the pipe any more.
  func close() {
    isClosed.withLock { closed in
      guard !closed else { return }
      closed = true
      _ = Glibc.close(readEnd)
      _ = Glibc.close(writeEnd)
    }
  }
}
