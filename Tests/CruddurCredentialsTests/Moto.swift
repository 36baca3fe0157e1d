import CruddurCore
import CruddurProcess
import CruddurTestSupport
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A moto_server on a free loopback port for one test, stopped at the end; the real aws
/// CLI sets up what a test reads.
struct Moto {
  let pid: pid_t
  let endpoint: String

  /// What cruddur and the aws CLI get: moto's endpoint, test keys, a region.
  var environment: [String: String] {
    [
      "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
      "AWS_DEFAULT_REGION": "us-east-1",
      "AWS_ENDPOINT_URL": endpoint,
    ]
  }

  /// `unauthenticatedActions`: moto checks IAM policies after that many requests
  /// (`INITIAL_NO_AUTH_ACTION_COUNT`), so access can really be denied.
  static func start(unauthenticatedActions: Int? = nil) async throws -> Moto {
    // A free port can be taken by another suite's server between the probe that found it
    // and moto's bind; moto then exits at once. So a server that died is started again on
    // another port, three times at most, rather than probed until the time runs out.
    for _ in 0..<3 {
      if let moto = try await startOnce(unauthenticatedActions: unauthenticatedActions) { return moto }
    }
    throw NotReady()
  }

  /// A started and answering moto, or nil when the server exited before it answered.
  private static func startOnce(unauthenticatedActions: Int?) async throws -> Moto? {
    let port = try TestCluster.freePort()
    let log = open("/dev/null", O_WRONLY | O_CLOEXEC)
    defer { close(log) }
    // The shims' Python folder first (`CruddurBinary.childPath`): moto_server and the probe
    // start without pyenv's shim, which a loaded machine makes slow.
    var environment = ["PATH": CruddurBinary.childPath]
    environment["HOME"] = ProcessInfo.processInfo.environment["HOME"]
    if let unauthenticatedActions {
      environment["INITIAL_NO_AUTH_ACTION_COUNT"] = String(unauthenticatedActions)
    }
    let process = ChildProcess(
      executable: "moto_server", arguments: ["-H", "127.0.0.1", "-p", String(port)],
      environment: environment)
    let moto = Moto(
      pid: try process.spawn(stdout: log, stderr: log), endpoint: "http://127.0.0.1:\(port)")
    // Ready when it answers its own API, which is no AWS action: it uses up none of the
    // unauthenticated ones.
    let probe = ChildProcess(
      executable: "python3",
      arguments: [
        "-c", "import urllib.request, sys; urllib.request.urlopen(sys.argv[1] + '/moto-api/')",
        moto.endpoint,
      ],
      environment: environment)
    for _ in 0..<300 {
      var status: Int32 = 0
      if waitpid(moto.pid, &status, WNOHANG) == moto.pid { return nil }
      // A loaded machine can take long for moto's first answer: a probe out of time is
      // "not yet", like a refused connection.
      let answered = try? await Blocking.run { try probe.runCollectingOutput(deadline: .seconds(60)) }
      if answered?.status == 0 { return moto }
      try await Task.sleep(for: .milliseconds(100))
    }
    moto.stop()
    throw NotReady()
  }

  struct NotReady: Error {}
  struct Failed: Error, CustomStringConvertible { var description: String }

  /// Runs the real aws CLI against this server; a secret goes in through a file, so it is
  /// in no command line a test samples.
  @discardableResult
  func aws(_ arguments: [String], extra: [String: String] = [:]) async throws -> ChildProcess.Output
  {
    var env = environment
    env["PATH"] = CruddurBinary.childPath
    env["HOME"] = "/nonexistent"
    env.merge(extra) { _, new in new }
    let process = ChildProcess(
      executable: "aws", arguments: arguments + ["--output", "text"], environment: env)
    return try await Blocking.run { try process.runCollectingOutput(deadline: .seconds(120)) }
  }

  /// `aws ARGS` that must succeed.
  @discardableResult
  func must(_ arguments: [String]) async throws -> String {
    let output = try await aws(arguments)
    guard output.status == 0 else {
      throw Failed(description: "aws \(arguments.joined(separator: " ")): \(output.text)")
    }
    return output.text.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// A file holding `text`, for `--secret-string file://…`.
  static func file(_ text: String, in directory: String) throws -> String {
    let path = directory + "/value-\(UUID().uuidString)"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return "file://" + path
  }

  func stop() {
    kill(-pid, SIGTERM)
    _ = ChildProcess.wait(pid)
  }
}
