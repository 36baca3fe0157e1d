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

extension PipeTests {
  /// A test writing a plugin while another thread spawns used to leave the plugin's write
  /// descriptor alive in that child, and running the plugin then failed: "Text file busy".
  @Test("a child inherits only stdin, stdout and stderr, even a descriptor opened without O_CLOEXEC")
  func onlyStandardDescriptors() throws {
    let directory = try CruddurTestSupportFreeDirectory()
    defer { directory.remove() }
    let leaked = open(directory.path + "/open-for-writing", O_WRONLY | O_CREAT, 0o755)
    #expect(leaked > 2)
    defer { close(leaked) }
    let listing = try ChildProcess(
      executable: "/bin/sh", arguments: ["-c", "ls /proc/$$/fd"], environment: ["PATH": "/usr/bin:/bin"]
    ).runCollectingOutput()
    #expect(listing.status == 0)
    // `ls` lists the shell's descriptors, not its own (it reads another process's folder).
    #expect(listing.text == "0\n1\n2\n", "descriptors the child had: \(listing.text)")
  }
}

/// A scratch folder without CruddurTestSupport, which this target does not need otherwise.
struct CruddurTestSupportFreeDirectory {
  let path: String
  init() throws {
    var template = Array((FileManager.default.temporaryDirectory.path + "/cruddur-fd-XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else { throw POSIXError(.EIO) }
    path = String(cString: made)
  }
  func remove() { try? FileManager.default.removeItem(atPath: path) }
}
