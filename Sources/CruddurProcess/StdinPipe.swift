import CruddurCore
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A pipe whose read end becomes a child's stdin while `data` is written to the other end
/// from a thread of its own: a child that reads slowly must not block us, and the data may
/// be larger than the pipe's buffer.
public enum StdinPipe {
  /// Returns the read end; the caller passes it to `spawn` and closes it afterwards.
  public static func feeding(_ data: Data, command: String) throws -> Int32 {
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { throw ChildProcess.SpawnError(command: command, code: errno) }
    // Close-on-exec on both ends: no other child started meanwhile may inherit them.
    _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
    let writer = fds[1]
    Thread.detachNewThread {
      var bytes = [UInt8](data)
      var offset = 0
      while offset < bytes.count {
        let n = bytes.withUnsafeMutableBytes { write(writer, $0.baseAddress! + offset, $0.count - offset) }
        if n < 0, errno == EINTR { continue }
        if n <= 0 { break }
        offset += n
      }
      bytes.removeAll()
      close(writer)
    }
    return fds[0]
  }
}
