import CruddurOutput

#if canImport(Glibc)
  import Glibc
#endif

/// Two pipes a renderer writes to in place of stdout and stderr, read back whole once the
/// renderer is done. What one test writes stays below a pipe's buffer (64 KiB), so the
/// writer never waits for a reader.
struct CapturedOutput {
  private let outPipe: [Int32]
  private let errPipe: [Int32]

  init() {
    var out: [Int32] = [0, 0]
    var err: [Int32] = [0, 0]
    precondition(pipe(&out) == 0 && pipe(&err) == 0, "pipe: \(errno)")
    outPipe = out
    errPipe = err
  }

  var standardOutput: OutputStream { OutputStream(fileDescriptor: outPipe[1]) }
  var standardError: OutputStream { OutputStream(fileDescriptor: errPipe[1]) }

  /// Closes the write ends and returns everything written, closing the read ends too.
  func finish() -> (stdout: String, stderr: String) {
    close(outPipe[1])
    close(errPipe[1])
    defer {
      close(outPipe[0])
      close(errPipe[0])
    }
    return (Self.readAll(outPipe[0]), Self.readAll(errPipe[0]))
  }

  private static func readAll(_ fd: Int32) -> String {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let n = read(fd, &buffer, buffer.count)
      if n < 0, errno == EINTR { continue }
      guard n > 0 else { break }
      bytes += buffer[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
