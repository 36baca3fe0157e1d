import CruddurProcess
import CruddurTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A `cruddur` process the test can signal while it runs.
struct RunningCruddur {
  let pid: pid_t
  let outPath: String

  static func start(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws
    -> RunningCruddur
  {
    var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": directory]
    env.merge(environment) { _, new in new }
    // Inside the project, so removing the project removes it: nothing is left in /tmp.
    let outPath = directory + "/.cruddur-test-output-\(UUID().uuidString.prefix(8))"
    let fd = open(outPath, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0o600)
    defer { close(fd) }
    let process = ChildProcess(
      executable: CruddurBinary.path, arguments: arguments, environment: env, workingDirectory: directory)
    return RunningCruddur(pid: try process.spawn(stdout: fd, stderr: fd), outPath: outPath)
  }

  /// Waits off the cooperative pool (a blocking waitpid there, two cores and two threads,
  /// can starve every other test), bounded so that a run that does not stop fails this
  /// test instead of hanging the suite. The bound is this wait's own: a suite time limit
  /// also counts the time a test spent queued behind the parallel suite, and CI saw one
  /// spend most of its two minutes there.
  func wait() async -> Int32 {
    if let code = await wait(within: 300) { return code }
    kill(pid, SIGKILL)
    _ = ChildProcess.wait(pid)
    Issue.record("cruddur (pid \(pid)) was still running 300 s after the test began to wait; killed\n\(output)")
    return -1
  }

  /// The exit status, or nil if the process is still running after `seconds`: a bound on
  /// a test that could otherwise hang, not a measurement (polled off the cooperative pool).
  func wait(within seconds: Int) async -> Int32? {
    let pid = pid
    return await withCheckedContinuation { continuation in
      DispatchQueue.global().async {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var status: Int32 = 0
        while ContinuousClock.now < deadline {
          let result = waitpid(pid, &status, WNOHANG)
          if result == pid {
            let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            return continuation.resume(returning: code)
          }
          if result < 0 { return continuation.resume(returning: -1) }
          usleep(50_000)
        }
        continuation.resume(returning: nil)
      }
    }
  }

  var output: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
}

/// Asks the server (or a CLI) until `condition` holds or the deadline passes. No sleep:
/// each try is a real round trip (a query on `pg_stat_activity`, an `aws` call), which is
/// both the synchronisation and the pace. The bound only decides when a test that is
/// failing gives up: generous, because a 2-core machine busy with a parallel suite can
/// take tens of seconds to start a process.
func eventually(_ seconds: Double = 90, _ condition: () async throws -> Bool) async throws -> Bool {
  let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
  while ContinuousClock.now < deadline {
    if try await condition() { return true }
    await Task.yield()
  }
  return false
}

/// Reads one line from a FIFO the child writes when it is ready: opening blocks until the
/// writer opens it, so this returns exactly when the child got there.
///
/// Opened without blocking and polled with a bound, off the cooperative pool, so a child
/// that never writes fails the test instead of hanging the suite. `then` runs on that same
/// thread as soon as the line is read: for a signal that must land within a deadline of
/// the child's, which a busy suite's cooperative pool could otherwise make the test miss.
func readinessLine(
  _ fifo: String, within seconds: Int32 = 60, then action: (@Sendable () -> Void)? = nil
) async -> String {
  await withCheckedContinuation { continuation in
    DispatchQueue.global().async {
      let fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
      guard fd >= 0 else { return continuation.resume(returning: "") }
      defer { close(fd) }
      var bytes: [UInt8] = []
      var buffer = [UInt8](repeating: 0, count: 256)
      let deadline = ContinuousClock.now + .seconds(Int64(seconds))
      while ContinuousClock.now < deadline {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, 1000) >= 0 || errno == EINTR else { break }
        let n = read(fd, &buffer, buffer.count)
        if n > 0 {
          bytes += buffer[0..<n]
          if bytes.contains(UInt8(ascii: "\n")) { break }
        }
      }
      if bytes.contains(UInt8(ascii: "\n")) { action?() }
      continuation.resume(
        returning: String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
  }
}

func processGroupAlive(_ group: pid_t) -> Bool {
  let ps = ChildProcess(
    executable: "/bin/sh", arguments: ["-c", "ps -e -o pgid=,stat= | awk '$1 == \(group) && $2 !~ /^Z/'"],
    environment: ["PATH": "/usr/bin:/bin"])
  return !((try? ps.runCollectingOutput().text) ?? "x").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
}

extension DatabaseTests {
  @Suite struct CancelTests {
    @Test("SIGINT during a long query cancels it on the server and exits 130")
    func sigintCancelsQuery() async throws {
      let database = TestCluster.uniqueDatabaseName("cancel")
      let cluster = DatabaseTests.cluster
      let project = try DatabaseTests.dbProject(
        database: database,
        extraFiles: ["tasks/slow.yml": "tasks:\n  slow: { query: 'select pg_sleep(60) as cancel_me', on: maintenance }\n"])
      defer { project.remove() }
      let running = try RunningCruddur.start(["slow"], in: project.path, environment: DatabaseTests.environment(database: database))
      let activeSQL = "select count(*) from pg_stat_activity where query like '%pg_sleep(60) as cancel_me%' and state = 'active' and pid <> pg_backend_pid()"
      #expect(try await eventually { try await cluster.value(activeSQL) == "1" }, "\(running.output)")
      kill(running.pid, SIGINT)
      let status = await running.wait()
      #expect(status == 130, "\(running.output)")
      #expect(try await cluster.value(activeSQL) == "0")
      ExactOutput.expect(running.output, equals: """
        cruddur slow on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
        == slow query: select pg_sleep(60) as cancel_me
        == slow cancelled after <duration>
        ✗ interrupted after <duration>: 0 done; cancelled: slow

        """, normalizing: DatabaseTests.variable(database))
    }
  }
}

@Suite struct CancelShellTests {
  @Test("SIGINT stops a running shell step's whole process group and exits 130")
  func sigintStopsGroup() async throws {
    let project = try shellProject("tasks:\n  long: { shell: 'sleep 60 & echo $$ > ready; wait' }\n")
    defer { project.remove() }
    #expect(mkfifo(project.path + "/ready", 0o600) == 0)
    let running = try RunningCruddur.start(["long"], in: project.path)
    let group = try #require(pid_t(await readinessLine(project.path + "/ready")))
    #expect(processGroupAlive(group))
    kill(running.pid, SIGINT)
    #expect(await running.wait() == 130, "\(running.output)")
    #expect(!processGroupAlive(group))
    ExactOutput.expect(running.output, equals: """
      cruddur long on local (postgresql://app:****@127.0.0.1:1/appdb), 1 step
      == long sh: sleep 60 & echo $$ > ready; wait
      == long cancelled after <duration>
      ✗ interrupted after <duration>: 0 done; cancelled: long

      """, normalizing: [.durations])
  }

  @Test("a second SIGINT kills a group that ignores SIGTERM at once, and still leaves no orphan")
  func secondSigint() async throws {
    // The shell ignores INT, and answers TERM (cruddur's first stop) by saying so on a
    // second FIFO, then runs forever; the grace before SIGKILL (an hour) is far longer than
    // this test waits (60 s), so only the second Ctrl-C can end the run in time.
    let project = try shellProject(
      "tasks:\n  stubborn: { shell: \"trap '' INT; trap 'echo term > termed' TERM; echo $$ > ready; while :; do sleep 1; done\" }\n")
    defer { project.remove() }
    #expect(mkfifo(project.path + "/ready", 0o600) == 0)
    #expect(mkfifo(project.path + "/termed", 0o600) == 0)
    let running = try RunningCruddur.start(
      ["stubborn"], in: project.path, environment: ["CRUDDUR_STOP_GRACE": "3600"])
    let group = try #require(pid_t(await readinessLine(project.path + "/ready")))
    kill(running.pid, SIGINT)
    #expect(await readinessLine(project.path + "/termed") == "term")
    kill(running.pid, SIGINT)
    let status = await running.wait(within: 60)
    if status == nil {
      // Nothing of a failed test outlives it.
      kill(running.pid, SIGKILL)
      kill(-group, SIGKILL)
    }
    #expect(status == 130, "ended by the second SIGINT; nil: still running a minute later\n\(running.output)")
    #expect(!processGroupAlive(group))
  }
}
