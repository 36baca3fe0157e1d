import CruddurCore
import CruddurProcess
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Runs the built `cruddur` executable as a child process, as a user would.
public enum CruddurBinary {
  public struct Result: Sendable, CustomStringConvertible {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    public var output: String { stdout + stderr }
  }

  /// The binary next to the test bundle (the test target depends on `cruddur`).
  public static var path: String {
    if let explicit = ProcessInfo.processInfo.environment["CRUDDUR_BIN"] { return explicit }
    let candidates = [
      Bundle.main.bundleURL.appendingPathComponent("cruddur").path,
      URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("cruddur").path,
      FileManager.default.currentDirectoryPath + "/.build/debug/cruddur",
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
  }

  /// Runs `cruddur ARGS` in `directory` with a small, explicit environment.
  public static func run(
    _ arguments: [String], in directory: String, environment: [String: String] = [:]
  ) async throws -> Result {
    try await runProgram(path, arguments, in: directory, environment: environment)
  }

  /// Runs any program the same way (a pseudo-terminal driver, the aws CLI...).
  public static func runProgram(
    _ program: String, _ arguments: [String], in directory: String, environment: [String: String] = [:]
  ) async throws -> Result {
    var env = [
      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
      // The child's dotfiles (.psql_history, shell caches) land in the test's own folder.
      "HOME": directory,
      "LANG": "C.UTF-8",
    ]
    env.merge(environment) { _, new in new }
    let process = ChildProcess(
      executable: program, arguments: arguments, environment: env, workingDirectory: directory)
    // A thread of its own, not the cooperative pool: a test waiting here must never keep
    // another test (which the child may be waiting for) from running.
    return try await Blocking.run {
      let outPath = NSTemporaryDirectory() + "cruddur-out-\(UUID().uuidString)"
      let errPath = NSTemporaryDirectory() + "cruddur-err-\(UUID().uuidString)"
      defer {
        try? FileManager.default.removeItem(atPath: outPath)
        try? FileManager.default.removeItem(atPath: errPath)
      }
      let out = open(outPath, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0o600)
      let err = open(errPath, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0o600)
      let pid: pid_t
      do {
        pid = try process.spawn(stdout: out, stderr: err)
      } catch {
        close(out)
        close(err)
        throw error
      }
      close(out)
      close(err)
      let status = ChildProcess.wait(pid)
      let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
      let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
      return Result(status: status, stdout: stdout, stderr: stderr)
    }
  }
}
