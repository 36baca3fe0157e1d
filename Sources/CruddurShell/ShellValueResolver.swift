import CruddurCore
import CruddurProcess
import Foundation
import Synchronization

/// Runs `sh:` variables and `unless: { sh: }` checks with `/bin/sh -c`, for the core.
public struct ShellValueResolver: DynamicValueResolver {
  public let groups: ProcessGroups?

  public init(groups: ProcessGroups? = nil) { self.groups = groups }

  public func output(of command: String, environment: [String: String], directory: String) async throws -> String {
    let collected = LineCollector()
    let termination = try await process(command, environment, directory).run(groups: groups) { line, stream in
      collected.append(line, stream)
    }
    guard termination.status == 0 else {
      throw ShellValueError(command: command, exitCode: termination.status, stderr: collected.stderr)
    }
    return collected.stdout.joined(separator: "\n")
      .trimmingCharacters(in: .newlines)
  }

  public func succeeds(_ command: String, environment: [String: String], directory: String) async throws -> Bool {
    try await process(command, environment, directory).run(groups: groups) { _, _ in }.status == 0
  }

  private func process(_ command: String, _ environment: [String: String], _ directory: String) -> ChildProcess {
    ChildProcess(executable: "/bin/sh", arguments: ["-c", command], environment: environment, workingDirectory: directory)
  }
}

/// A `sh:` value's command failed.
public struct ShellValueError: CruddurError, ExitCodeReporting {
  public var command: String
  public var exitCode: Int32
  public var stderr: [String]
  public var exitStatus: ExitStatus { .stepFailed }
  public var diagnostics: [Diagnostic] {
    [
      .error(
        "`\(command)` exited with status \(exitCode)",
        notes: stderr.suffix(5).map { .init(Redaction.redact($0)) })
    ]
  }
}

/// Lines of a child's output, gathered from its reader thread.
final class LineCollector: Sendable {
  private let lines = Mutex<(stdout: [String], stderr: [String])>(([], []))

  func append(_ line: String, _ stream: ChildProcess.Stream) {
    lines.withLock {
      if stream == .stdout { $0.stdout.append(line) } else { $0.stderr.append(line) }
    }
  }

  var stdout: [String] { lines.withLock { $0.stdout } }
  var stderr: [String] { lines.withLock { $0.stderr } }
}
