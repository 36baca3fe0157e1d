import CProcessSpawn
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A pipe whose read end becomes a child's stdin, and the bytes to write into the other end.
/// The write end does not block: `PipePoller` writes what the pipe takes while it reads the
/// child's output, so a child that reads slowly cannot stall us and the data may be larger
/// than the pipe's buffer.
struct StdinPipe: Sendable {
  let readEnd: Int32
  var writeEnd: Int32
  var bytes: [UInt8]

  init(feeding data: Data, command: String) throws {
    var fds: [Int32] = [0, 0]
    // Close-on-exec on both ends: no other child started meanwhile may inherit them.
    guard cruddur_pipe_cloexec(&fds) == 0 else { throw ChildProcess.SpawnError(command: command, code: errno) }
    _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
    readEnd = fds[0]
    writeEnd = fds[1]
    bytes = [UInt8](data)
  }
}
