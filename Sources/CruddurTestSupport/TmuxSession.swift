import CruddurCore
import CruddurProcess
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A real terminal for tests: a detached tmux session on a server of its own, running one
/// command in a pseudo-terminal of a given size. What the terminal shows is read back with
/// `capture-pane` (plain text: what a person would see, escape sequences already acted on).
public struct TmuxSession: Sendable {
  /// The server's socket name (`tmux -L`): one per session, so tests never share a server.
  public let socket: String

  /// Starts `command` (run by `/bin/sh -c`) in a `columns` × `rows` terminal, in `directory`.
  /// `environment` is given to the command on top of a small explicit one.
  public init(
    _ command: String, columns: Int, rows: Int = 24, in directory: String, environment: [String: String] = [:]
  ) throws {
    socket = "cruddur-test-\(UUID().uuidString.prefix(8))"
    var env = [
      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": directory, "LANG": "C.UTF-8",
      "TERM": "xterm-256color",
    ]
    env.merge(environment) { _, new in new }
    let assignments = env.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quoted($0.value))" }.joined(separator: " ")
    _ = try tmux(
      [
        "new-session", "-d", "-s", "main", "-x", String(columns), "-y", String(rows), "-c", directory,
        "env -i \(assignments) /bin/sh -c \(Self.quoted(command))",
      ], directory: directory)
    // The pane stays on the screen after its command ends, so the last screen can be read.
    _ = try tmux(["set-option", "-t", "main", "remain-on-exit", "on"], directory: directory)
  }

  /// The screen now, one string per row, trailing blanks trimmed (tmux trims them).
  public func screen() throws -> [String] {
    let text = try tmux(["capture-pane", "-p", "-t", "main"])
    var rows = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    while rows.last == "" { rows.removeLast() }
    return rows
  }

  /// Whether the command has ended (the pane is "dead").
  public func hasEnded() throws -> Bool {
    try tmux(["display-message", "-p", "-t", "main", "#{pane_dead}"]).trimmingCharacters(in: .whitespacesAndNewlines)
      == "1"
  }

  /// Resizes the terminal; the program in it gets SIGWINCH.
  public func resize(columns: Int) throws {
    _ = try tmux(["resize-window", "-t", "main", "-x", String(columns)])
  }

  /// Appends every byte the program writes to the terminal from now on to the file at `path`
  /// (`pipe-pane`): what was drawn, escape sequences included, in order.
  public func recordOutput(to path: String) throws {
    _ = try tmux(["pipe-pane", "-t", "main", "-o", "cat >> \(Self.quoted(path))"])
  }

  /// Types `keys` (tmux key names: "Tab", "Enter", or literal text).
  public func send(_ keys: String...) throws {
    _ = try tmux(["send-keys", "-t", "main"] + keys)
  }

  /// Stops the session and its server.
  public func kill() {
    _ = try? tmux(["kill-server"])
    // tmux leaves its socket file behind; the folder is tmux's default for `-L`.
    try? FileManager.default.removeItem(atPath: "/tmp/tmux-\(getuid())/\(socket)")
  }

  private func tmux(_ arguments: [String], directory: String? = nil) throws -> String {
    let process = ChildProcess(
      executable: "/usr/bin/tmux", arguments: ["-L", socket, "-f", "/dev/null"] + arguments,
      environment: ["PATH": "/usr/bin:/bin", "TERM": "xterm-256color", "LANG": "C.UTF-8"],
      workingDirectory: directory ?? "/")
    let output = try process.runCollectingOutput()
    guard output.status == 0 else { throw TmuxError(arguments: arguments, output: output.text) }
    return output.text
  }

  /// `text` as one word for `/bin/sh`.
  public static func quoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}

public struct TmuxError: Error, CustomStringConvertible {
  public var arguments: [String]
  public var output: String
  public var description: String { "tmux \(arguments.joined(separator: " ")) failed: \(output)" }
}
