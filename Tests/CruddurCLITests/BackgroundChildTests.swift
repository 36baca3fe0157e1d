import CruddurTestSupport
import Foundation
import Testing

/// A shell step is done when its command exits. What the command left running in its
/// process group (`sleep 60 &`, which keeps the output pipe open) is ended with the step,
/// TERM then KILL, with a notice; before, the step waited for it and a `timeout:` reported
/// a command that had exited 0 as timed out.
@Suite struct BackgroundChildTests {
  static let project = """
    version: 1
    environments:
      local: { default: true, url: "postgresql://postgres:pw@127.0.0.1:1/app" }
    tasks:
      bg: { shell: 'sleep 60 & echo $! > bg.pid; echo started' }
      bg:timeout: { shell: 'sleep 60 & echo $! > bg.pid; echo started', timeout: 30s }
      bg:stubborn: { shell: 'sh -c "trap \\"\\" TERM; echo \\$\\$ > bg.pid; exec sleep 60" & while [ ! -s bg.pid ]; do :; done; echo started' }
      bg:then: { steps: [bg, after] }
      after: { shell: echo after }

    """

  /// Whether `pid` is still a running process (a zombie left for init to reap is not).
  static func isRunning(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")")
    else { return false }
    return !stat[stat.index(after: close)...].hasPrefix(" Z")
  }

  func backgroundPid(_ project: TemporaryProject) throws -> Int32 {
    let text = try String(contentsOfFile: project.path + "/bg.pid", encoding: .utf8)
    return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
  }

  @Test(
    "sleep 60 & ends the step at once, done, with a notice; the sleep is gone; with timeout: it is not a timeout",
    arguments: ["bg", "bg:timeout", "bg:stubborn"])
  func leftRunning(_ task: String) async throws {
    let project = try TemporaryProject(files: ["cruddur.yml": Self.project])
    defer { project.remove() }
    try await project.expect(
      [task, "--no-color"],
      stdout: """
        cruddur \(task) on local (postgresql://postgres:****@127.0.0.1:1/app), 1 step
        == \(task) sh: \(task == "bg:stubborn" ? "sh -c \"trap \\\"\\\" TERM; echo \\$\\$ > bg.pid; exec sleep 60\"..." : "sleep 60 & echo $! > bg.pid; echo started")
        started
           done in <duration>
        ✓ 1 step done in <duration>

        """,
      stderr: """
        note: the command exited leaving 1 background process running; ended with the step (run a daemon with `setsid` and its own output to keep it)

        """, normalizing: [.durations])
    let pid = try backgroundPid(project)
    #expect(pid > 0)
    #expect(!Self.isRunning(pid), "background process \(pid) still runs")
  }

  @Test("the next step starts after the background process is gone, not after it ends by itself")
  func nextStep() async throws {
    let project = try TemporaryProject(files: ["cruddur.yml": Self.project])
    defer { project.remove() }
    let result = try await project.run(["bg:then"])
    #expect(result.status == 0, "\(result)")
    #expect(result.stdout.contains("after\n"), "\(result)")
    #expect(!Self.isRunning(try backgroundPid(project)))
  }
}
