import CruddurTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A signal while a plan is made (a plugin's `describe` runs then) enters through the
/// session library's one window: the plugin is killed and the command ends 130 with
/// nothing more said. Without the window the signal's default action ended cruddur alone
/// and the plugin ran on.
@Suite(.timeLimit(.minutes(10))) struct PlanningStopTests {
  /// A project whose task `check` uses plugin `hang`, whose `describe` is `behaviour`.
  static func project(_ behaviour: String) throws -> TemporaryProject {
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local: { default: true, url: "postgresql://u:pw@127.0.0.1:1/db" }
      plugins: { hang: plugins/hang }
      tasks:
        check: { uses: hang }

      """,
      "plugins/hang": "#!/bin/sh\n\(behaviour)\n",
    ])
    try FileManager.default.setAttributes(
      [.posixPermissions: 0o755], ofItemAtPath: project.path + "/plugins/hang")
    return project
  }

  @Test("INT while a plugin's describe runs: the plugin is killed, 130, nothing else said")
  func signalWhileDescribing() async throws {
    let project = try Self.project("exit 1")
    defer { project.remove() }
    // The plugin says it is there through a FIFO, and the signal is sent from the thread
    // that reads it: `describe` has a 10 s deadline, which a test polling the process table
    // from a busy suite's cooperative pool could miss.
    let fifo = project.path + "/ready.fifo"
    #expect(mkfifo(fifo, 0o600) == 0)
    try project.write("plugins/hang", "#!/bin/sh\necho ready > '\(fifo)'\nexec sleep 3597\n")
    try FileManager.default.setAttributes(
      [.posixPermissions: 0o755], ofItemAtPath: project.path + "/plugins/hang")
    func plugin() -> [pid_t] {
      ProcessTable().entries.filter {
        $0.arguments.hasPrefix("sleep 3597") && $0.workingDirectory == project.path
      }.map(\.pid)
    }
    defer { for pid in plugin() { kill(pid, SIGKILL) } }
    let running = try RunningCruddur.start(["plan", "check"], in: project.path)
    let pid = running.pid
    #expect(await readinessLine(fifo) { kill(pid, SIGINT) } == "ready", "\(running.output)")
    #expect(await running.wait() == 130, "\(running.output)")
    #expect(running.output == "", "\(running.output)")
    #expect(try await eventually(30) { plugin().isEmpty }, "left running: \(plugin())")
  }

  @Test("without the signal, the same plugin answering describe gives the plan (the twin)")
  func describeAnswered() async throws {
    let project = try Self.project(
      #"cat > /dev/null; echo '{"summary": "hang: answered", "details": [], "destructive": false}'"#
    )
    defer { project.remove() }
    let running = try RunningCruddur.start(["plan", "check"], in: project.path)
    #expect(await running.wait() == 0, "\(running.output)")
    #expect(running.output.contains("hang: answered"), "\(running.output)")
  }
}
