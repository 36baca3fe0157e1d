import CruddurProcess
import CruddurTestSupport
import Foundation
import Testing

/// Completion in real shells, in a real terminal (tmux): what `scripts/install-completions`
/// installs is loaded by a new interactive bash, zsh and fish with no setup of their own.
/// The system files it edits (/etc/bash.bashrc, /etc/zsh/zshrc, /etc/fish/completions) are
/// pointed into a temporary folder, and each shell is started reading them as it reads the
/// real ones.
@Suite struct CompletionShellsTests {
  struct Machine {
    let root: String
    let project: TemporaryProject
    var prefix: String { root + "/prefix" }
    var path: String { prefix + "/bin:/usr/bin:/bin" }
  }

  /// Installs the completions for `project` (by default this repository's, with a saved plan).
  static func install(_ given: TemporaryProject? = nil) throws -> Machine {
    let project = try given ?? TypedWordsTests.project(extraFiles: ["setup.plan.json": "{}\n"])
    let root = project.path + "/.machine"
    for folder in ["/prefix/bin", "/etc/zsh", "/home/.config/fish", "/zdot"] {
      try FileManager.default.createDirectory(atPath: root + folder, withIntermediateDirectories: true)
    }
    _ = FileManager.default.createFile(atPath: root + "/etc/bash.bashrc", contents: Data())
    try FileManager.default.createSymbolicLink(atPath: root + "/prefix/bin/cruddur", withDestinationPath: CruddurBinary.path)
    // As /etc/zsh/zshrc is read by every interactive zsh.
    try "source \(root)/etc/zsh/zshrc\n".write(toFile: root + "/zdot/.zshrc", atomically: true, encoding: .utf8)
    let output = try ChildProcess(
      executable: "/bin/bash", arguments: [RepositoryFiles.root + "/scripts/install-completions"],
      environment: [
        "PATH": "/usr/bin:/bin", "PREFIX": root + "/prefix", "CRUDDUR": CruddurBinary.path,
        "BASHRC": root + "/etc/bash.bashrc", "ZSHRC": root + "/etc/zsh/zshrc",
        "FISH_COMPLETIONS": root + "/home/.config/fish/completions",
      ]
    ).runCollectingOutput()
    #expect(output.status == 0, "\(output.text)")
    return Machine(root: root, project: project)
  }

  /// In a new shell started by `start`, types `line` then Tab (twice for bash, which lists
  /// on the second), and waits until the screen shows every one of `expected`.
  static func complete(
    _ start: () throws -> TmuxSession, _ line: String, tabs: Int, shows expected: [String]
  ) async throws {
    let tmux = try start()
    defer { tmux.kill() }
    // Synchronised on the screen, not on time: under the whole suite's load a shell can take
    // seconds to show its prompt, and a Tab typed before the line is read completes nothing.
    _ = try await eventually(60) { !(try tmux.screen().joined().trimmingCharacters(in: .whitespaces).isEmpty) }
    try tmux.send(line)
    _ = try await eventually(60) { try tmux.screen().joined(separator: "\n").contains(line.trimmingCharacters(in: .whitespaces)) }
    for _ in 0..<tabs { try tmux.send("Tab") }
    var screen: [String] = []
    let shown = try await eventually(60) {
      screen = try tmux.screen()
      let text = screen.joined(separator: "\n")
      return expected.allSatisfy { text.contains($0) }
    }
    #expect(shown, "`\(line)` + Tab: \(expected) not on screen:\n\(screen.joined(separator: "\n"))")
  }

  static func check(tabs: Int, _ start: () throws -> TmuxSession) async throws {
    try await complete(start, "cruddur db:se", tabs: tabs, shows: ["seed:empty", "sessions", "setup"])
    try await complete(start, "cruddur db:setup -e ", tabs: tabs, shows: ["local", "prod"])
    try await complete(start, "cruddur db:rollback --set ST", tabs: tabs, shows: ["--set STEP"])
    try await complete(start, "cruddur plan db:sess", tabs: tabs, shows: ["cruddur plan db:sessions"])
    try await complete(start, "cruddur graph users:", tabs: tabs, shows: ["cruddur graph users:add"])
    try await complete(start, "cruddur apply setu", tabs: tabs, shows: ["cruddur apply setup.plan.json"])
    try await complete(start, "cruddur help db:sess", tabs: tabs, shows: ["cruddur help db:sessions"])
  }

  @Test("bash, interactive, not a login shell: tasks, environments, variables, plan, graph, apply, help")
  func bash() async throws {
    let machine = try Self.install()
    defer { machine.project.remove() }
    try await Self.check(tabs: 2) {
      try TmuxSession(
        "bash --rcfile \(machine.root)/etc/bash.bashrc -i", columns: 160, in: machine.project.path,
        environment: ["PATH": machine.path, "HOME": machine.root + "/home"])
    }
  }

  @Test("zsh, interactive: the same")
  func zsh() async throws {
    let machine = try Self.install()
    defer { machine.project.remove() }
    try await Self.check(tabs: 1) {
      try TmuxSession(
        "zsh -i", columns: 160, in: machine.project.path,
        environment: ["PATH": machine.path, "HOME": machine.root + "/home", "ZDOTDIR": machine.root + "/zdot"])
    }
  }

  @Test("fish, interactive: the same")
  func fish() async throws {
    let machine = try Self.install()
    defer { machine.project.remove() }
    try await Self.check(tabs: 1) {
      try TmuxSession(
        "fish -i", columns: 160, in: machine.project.path,
        environment: ["PATH": machine.path, "HOME": machine.root + "/home"])
    }
  }
}
