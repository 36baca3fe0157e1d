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

  /// The test process's PATH, with the folder of the Python that pyenv's shims run put first
  /// when PATH starts with those shims: a plugin or script started as `env python3` then
  /// skips the shim (a bash script running `pyenv exec`, 20x a bare start), which in a full
  /// run's load once took longer than a plugin's 10 s `describe` deadline. Same interpreter,
  /// same packages.
  public static let childPath: String = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    guard let shims = path.split(separator: ":").first(where: { $0.hasSuffix("pyenv/shims") }),
      FileManager.default.isExecutableFile(atPath: "\(shims)/python3")
    else { return path }
    let probe = Process()
    probe.executableURL = URL(fileURLWithPath: "\(shims)/python3")
    probe.arguments = ["-c", "import os, sys; print(os.path.dirname(os.path.realpath(sys.executable)))"]
    let pipe = Pipe()
    probe.standardOutput = pipe
    guard (try? probe.run()) != nil else { return path }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    probe.waitUntilExit()
    let folder = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard probe.terminationStatus == 0, !folder.isEmpty else { return path }
    return folder + ":" + path
  }()

  /// Runs any program the same way (a pseudo-terminal driver, the aws CLI...).
  public static func runProgram(
    _ program: String, _ arguments: [String], in directory: String, environment: [String: String] = [:]
  ) async throws -> Result {
    var env = [
      "PATH": childPath,
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
