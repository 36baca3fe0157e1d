import CruddurCore
import CruddurProcess
import Foundation
import Synchronization

/// `password: { command: … }`: `/bin/sh -c COMMAND`; the first line of its stdout is the
/// password. Its stderr (a vault's "unlocking…") is passed on, masked, once it has ended,
/// so a password it also wrote there is known and masked first.
struct PasswordCommand: Sendable {
  var command: String
  var timeoutSeconds: Double
  var environment: [String: String]
  var onStderr: @Sendable (String) -> Void

  func run() async throws -> ProvidedCredential {
    let process = ChildProcess(
      executable: "/bin/sh", arguments: ["-c", command], environment: environment)
    let collected = Mutex<(first: String?, stderr: [String])>((nil, []))
    let termination = try await process.run(timeout: .milliseconds(Int64(timeoutSeconds * 1000))) {
      line, stream in
      collected.withLock { state in
        if stream == .stderr {
          state.stderr.append(line)
        } else if state.first == nil {
          state.first = line
        }
      }
    }
    let (first, stderr) = collected.withLock { $0 }
    // Known before anything the command wrote is shown, so it is masked there too.
    if let first, !first.isEmpty { Redaction.remember(secret: first) }
    if termination.isTimedOut {
      stderr.forEach(onStderr)
      throw CredentialError(.commandTimedOut(command: command, seconds: timeoutSeconds))
    }
    guard termination.status == 0 else {
      throw CredentialError(
        .commandFailed(command: command, status: termination.status, stderr: stderr))
    }
    stderr.forEach(onStderr)
    guard let first, !first.isEmpty else {
      throw CredentialError(.commandPrintedNothing(command: command))
    }
    return ProvidedCredential(password: first)
  }
}
