import Foundation
import Testing

@testable import CruddurProcess

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct PipeTests {
  func closesOnExec(_ fd: Int32) -> Bool { fcntl(fd, F_GETFD) & FD_CLOEXEC != 0 }

  @Test("output pipes close on exec from the start, so no other child can inherit them")
  func outputPipe() throws {
    let pipe = try ChildProcess(executable: "/bin/true", arguments: [], environment: [:]).outputPipe()
    defer {
      close(pipe.read)
      close(pipe.write)
    }
    #expect(closesOnExec(pipe.read) && closesOnExec(pipe.write))
  }

  @Test("a stdin pipe closes on exec, and only our write end is non-blocking")
  func stdinPipe() throws {
    let pipe = try StdinPipe(feeding: Data("x".utf8), command: "test")
    defer {
      close(pipe.readEnd)
      close(pipe.writeEnd)
    }
    #expect(closesOnExec(pipe.readEnd) && closesOnExec(pipe.writeEnd))
    #expect(fcntl(pipe.writeEnd, F_GETFL) & O_NONBLOCK != 0)
    #expect(fcntl(pipe.readEnd, F_GETFL) & O_NONBLOCK == 0)
  }
}
