import CruddurTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A descendant that leaves its step's process group (`setsid`) is not reached by the
/// group's signals. cruddur is its subreaper: once its parent dies with a stopped step, it
/// is cruddur's child, and the stop ends it too. What was adopted before the stop began (a
/// daemon a finished step started with `setsid`, the README's way to keep one) stays.
// A backstop against a hang only (it also counts time queued behind the parallel suite):
// each wait in it has its own bound.
@Suite(.timeLimit(.minutes(15))) struct EscapedProcessTests {
  @Test(
    "INT, TERM or HUP while a shell step runs a setsid child: the escaped child ends too",
    arguments: [SIGINT, SIGTERM, SIGHUP])
  func escapedChildEnds(_ signal: Int32) async throws {
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local: { default: true, url: "postgresql://postgres:pw@127.0.0.1:1/app" }
      tasks:
        escape: { shell: "setsid sh -c 'echo $$ > escaped.pid; echo ready > ready.fifo; exec sleep 600' & wait" }

      """
    ])
    defer { project.remove() }
    #expect(mkfifo(project.path + "/ready.fifo", 0o600) == 0)
    let running = try RunningCruddur.start(["escape"], in: project.path)
    #expect(await readinessLine(project.path + "/ready.fifo") == "ready", "\(running.output)")
    let escaped = try #require(
      pid_t(
        (try String(contentsOfFile: project.path + "/escaped.pid", encoding: .utf8)).trimmingCharacters(
          in: .whitespacesAndNewlines)))
    // It did leave the step's group: only something that finds it can end it.
    #expect(getsid(escaped) == escaped)
    kill(running.pid, signal)
    #expect(await running.wait() == 130, "\(running.output)")
    // Before, the escaped `sleep 600` outlived the run.
    let left = ProcessTable().tied(to: project.path)
    #expect(left.isEmpty, "\(ProcessTable.describe(left))")
  }

  @Test("a daemon a finished step started with setsid survives a later stop; the stopped step's processes do not")
  func finishedStepsDaemonStays() async throws {
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local: { default: true, url: "postgresql://postgres:pw@127.0.0.1:1/app" }
      tasks:
        daemon:
          # Done once the daemon is in its own session: before, it would be a leftover of the step's group.
          shell: >-
            mkfifo up.fifo;
            setsid sh -c 'echo $$ > daemon.pid; echo up > up.fifo; exec sleep 600' > /dev/null 2>&1 < /dev/null &
            read up < up.fifo
        wait: { shell: "echo ready > ready.fifo; exec sleep 600" }
        both: { steps: [daemon, wait] }

      """
    ])
    defer { project.remove() }
    #expect(mkfifo(project.path + "/ready.fifo", 0o600) == 0)
    let running = try RunningCruddur.start(["both"], in: project.path)
    #expect(await readinessLine(project.path + "/ready.fifo") == "ready", "\(running.output)")
    let daemon = try #require(
      pid_t(
        (try String(contentsOfFile: project.path + "/daemon.pid", encoding: .utf8)).trimmingCharacters(
          in: .whitespacesAndNewlines)))
    defer { kill(daemon, SIGKILL) }
    kill(running.pid, SIGTERM)
    #expect(await running.wait() == 130, "\(running.output)")
    let left = ProcessTable().tied(to: project.path)
    #expect(left.map(\.pid) == [daemon], "\(ProcessTable.describe(left))")
  }
}
