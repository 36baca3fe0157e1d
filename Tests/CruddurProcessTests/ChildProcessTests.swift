import CruddurCore
import CruddurProcess
import CruddurTestSupport
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Lines a child printed, in the order they arrived.
final class Lines: Sendable {
  private let items = Mutex<[(line: String, stream: ChildProcess.Stream)]>([])
  func append(_ line: String, _ stream: ChildProcess.Stream) {
    items.withLock { $0.append((line, stream)) }
  }
  var all: [(line: String, stream: ChildProcess.Stream)] { items.withLock { $0 } }
}

/// Whether any process of the group is alive (zombies waiting for a non-reaping init
/// are dead). Uses `ps`, independently of the code under test.
func groupIsAlive(_ group: pid_t) -> Bool {
  let ps = ChildProcess(
    executable: "/bin/sh", arguments: ["-c", "ps -e -o pgid=,stat= | awk '$1 == \(group) && $2 !~ /^Z/'"],
    environment: ["PATH": "/usr/bin:/bin"])
  let output = (try? ps.runCollectingOutput().text) ?? "error"
  return !output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
}

func shell(_ command: String) -> ChildProcess {
  ChildProcess(executable: "/bin/sh", arguments: ["-c", command], environment: ["PATH": "/usr/bin:/bin"])
}

@Suite struct ChildProcessTests {
  @Test("the exit code is kept", arguments: [0, 1, 3, 42])
  func exitCodes(code: Int32) async throws {
    let result = try await shell("exit \(code)").run { _, _ in }
    #expect(result.status == code)
    #expect(!result.isTimedOut)
  }

  @Test("a child killed by a signal reports 128 + the signal")
  func killedBySignal() async throws {
    let result = try await shell("kill -9 $$").run { _, _ in }
    #expect(result.status == 128 + 9)
  }

  @Test("lines arrive as they are written, each stream in order, stderr apart")
  func streamedOrder() async throws {
    // The child prints "one", then waits on a FIFO that the test writes only once "one"
    // has arrived: lines collected at the end instead of streamed would never get there,
    // and the run would time out.
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let fifo = directory.path + "/go"
    #expect(mkfifo(fifo, 0o600) == 0)
    let lines = Lines()
    let result = try await shell("echo one; echo err1 >&2; read x < '\(fifo)'; echo two; printf 'no newline'").run(
      timeout: .seconds(60)
    ) { line, stream in
      lines.append(line, stream)
      if line == "one" {
        DispatchQueue.global().async {
          let fd = open(fifo, O_WRONLY)
          _ = "go\n".withCString { write(fd, $0, 3) }
          close(fd)
        }
      }
    }
    #expect(!result.isTimedOut, "the first line was not delivered before the child ended")
    #expect(result.status == 0)
    #expect(lines.all.filter { $0.stream == .stdout }.map(\.line) == ["one", "two", "no newline"])
    #expect(lines.all.filter { $0.stream == .stderr }.map(\.line) == ["err1"])
  }

  @Test("a timeout stops the whole process group, background children included")
  func timeoutKillsGroup() async throws {
    let lines = Lines()
    let result = try await shell("sleep 60 & sleep 60 & echo $$; wait").run(timeout: .milliseconds(500)) {
      lines.append($0, $1)
    }
    // The outcome, not the elapsed time (which a loaded machine stretches): timed out, and
    // nothing of the group left.
    #expect(result.isTimedOut)
    let group = try #require(lines.all.first.flatMap { pid_t($0.line) })
    #expect(!groupIsAlive(group))
    #expect(kill(group, 0) == -1 && errno == ESRCH)
  }

  @Test("a child that ignores SIGTERM is killed after the grace period")
  func graceThenKill() async throws {
    let lines = Lines()
    let result = try await shell("trap '' TERM; sleep 60 & echo $$; wait").run(
      timeout: .milliseconds(300), gracePeriod: .milliseconds(700)
    ) { lines.append($0, $1) }
    // SIGTERM was ignored, so only the SIGKILL after the grace period can have ended it.
    #expect(result.isTimedOut)
    let group = try #require(lines.all.first.flatMap { pid_t($0.line) })
    #expect(!groupIsAlive(group))
  }

  @Test("cancelling the task stops the group and throws CancellationError")
  func cancellation() async throws {
    let groups = ProcessGroups()
    // The first line (the shell's pid) is the readiness signal.
    let (firstLine, ready) = AsyncStream.makeStream(of: String.self)
    let task = Task {
      try await shell("sleep 60 & echo $$; wait").run(groups: groups) { line, _ in ready.yield(line) }
    }
    var iterator = firstLine.makeAsyncIterator()
    let group = try #require(await iterator.next().flatMap { pid_t($0) })
    #expect(groups.live == [group])
    task.cancel()
    await #expect(throws: CancellationError.self) { try await task.value }
    #expect(!groupIsAlive(group))
    #expect(groups.live.isEmpty)
  }

  @Test("the child gets exactly the environment given, and a value stays a value")
  func environmentIsData() async throws {
    let marker = FileManager.default.temporaryDirectory.path + "/cruddur-injected-\(UUID().uuidString)"
    let lines = Lines()
    var process = shell(#"printf '%s\n' "$VALUE""#)
    process.environment["VALUE"] = "$(touch \(marker)); \"; touch \(marker)"
    let result = try await process.run { lines.append($0, $1) }
    #expect(result.status == 0)
    #expect(lines.all.map(\.line) == ["$(touch \(marker)); \"; touch \(marker)"])
    #expect(!FileManager.default.fileExists(atPath: marker))
  }

  @Test("the child starts in the working directory given")
  func workingDirectory() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    var process = shell("pwd -P")
    process.workingDirectory = directory.path
    let lines = Lines()
    let result = try await process.run { lines.append($0, $1) }
    #expect(result.status == 0)
    // `pwd -P` prints the physical path; TMPDIR may sit behind a symbolic link.
    let physical = try #require(realpath(directory.path, nil))
    defer { free(physical) }
    #expect(lines.all.map(\.line) == [String(cString: physical)])
  }

  @Test("stdin larger than a pipe's buffer reaches a child that echoes it while we read")
  func largeStdinEchoed() async throws {
    // 200,000 numbered lines (about 1.3 MB): `cat` blocks writing unless its output is read
    // while its input is still being written, so one thread must do both.
    let text = (1...200_000).map(String.init).joined(separator: "\n") + "\n"
    let lines = Lines()
    let result = try await shell("cat").run(stdin: Data(text.utf8)) { lines.append($0, $1) }
    #expect(result.status == 0)
    let received = lines.all
    #expect(received.count == 200_000)
    #expect(received.first?.line == "1" && received.last?.line == "200000")
    #expect(received.allSatisfy { $0.stream == .stdout })
  }

  @Test("collected output and stdin: the byte count of a large input comes back")
  func collectingWithStdin() throws {
    let output = try shell("wc -c").runCollectingOutput(stdin: Data(repeating: 65, count: 1 << 20))
    #expect(output.status == 0)
    #expect(output.text.trimmingCharacters(in: .whitespacesAndNewlines) == "\(1 << 20)")
  }

  @Test("a child that exits without reading its stdin ends the run; nothing hangs or breaks")
  func unreadStdin() async throws {
    let input = Data(repeating: 10, count: 1 << 20)
    let streamed = try await shell("exit 3").run(stdin: input) { _, _ in }
    #expect(streamed.status == 3)
    let collected = try shell("exit 4").runCollectingOutput(stdin: input)
    #expect(collected.status == 4)
  }

  @Test("a collecting run past its deadline kills the group and says how long it waited")
  func collectingDeadline() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let pidFile = directory.path + "/pid"
    let error = try #require(throws: ChildProcess.DeadlineError.self) {
      try shell("echo $$ > '\(pidFile)'; sleep 60 & wait").runCollectingOutput(deadline: .milliseconds(1500))
    }
    #expect(error.diagnostics.first?.message == "`/bin/sh` did not answer within 1.5 s; it was stopped")
    let text = try String(contentsOfFile: pidFile, encoding: .utf8)
    let group = try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    #expect(!groupIsAlive(group))
  }

  @Test(
    "signals we ignore are back to their default in the child",
    arguments: [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE])
  func signalsReset(signal number: Int32) throws {
    // cruddur ignores these at the process level; so does this test, for the spawn only.
    let previous = signal(number, SIG_IGN)
    defer { signal(number, previous) }
    let output = try shell("grep SigIgn /proc/self/status").runCollectingOutput()
    let mask = try #require(output.text.split(whereSeparator: \.isWhitespace).last.flatMap { UInt64($0, radix: 16) })
    #expect(mask & (1 << UInt64(number - 1)) == 0, "\(output.text)")
  }

  @Test("a missing program is an error, not a crash")
  func missingProgram() async throws {
    let process = ChildProcess(executable: "/nonexistent/program", arguments: [], environment: [:])
    await #expect(throws: ChildProcess.SpawnError.self) { try await process.run { _, _ in } }
  }
}
