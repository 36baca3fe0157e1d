import CruddurCore

/// Why the embedded server (`embedded: true`, `cruddur local`) could not be started, stopped
/// or reset, or why a run refused it: one case per reason. The words and exit status of each
/// are decided here, in the module that runs the server, not in Core.
public enum EmbeddedServerErrorKind: ErrorKind, Equatable {
  case resetNeedsConsent
  case resetNotConfirmed
  case foreignEmbeddedServer(address: String, directory: String, environment: String)
  case orphanedServerRunning(port: String, pid: Int)
  /// `holder` describes the program on the port, when it could be found.
  case portTaken(port: String, holder: String?)
  case socketPathTooLong(String)
  case serverStartFailed(output: String, logTail: String, logFile: String)
  case serverStopFailed(output: String)
  case serverSignalFailed(pid: Int, reason: String)
  case serverDidNotStop(pid: Int, seconds: Int)
  /// `inaccessibleAbove` is the folder the `postgres` user could not reach, when that was why.
  case initdbFailed(output: String, inaccessibleAbove: String?)
  case cannotOpenLock(path: String, reason: String)
  case cannotLock(path: String, reason: String)
  case noPostgresUser
  case cannotChown(path: String, reason: String)
  case serverProgramsMissing
  case embeddedHostNotLocal(environment: String, host: String)

  /// How the process ends for this kind (`ExitStatus`).
  public var exitStatus: ExitStatus {
    switch self {
    case .resetNeedsConsent, .resetNotConfirmed, .foreignEmbeddedServer: .refused
    case .orphanedServerRunning, .portTaken, .socketPathTooLong, .serverStartFailed,
      .serverStopFailed, .serverSignalFailed, .serverDidNotStop, .initdbFailed, .cannotOpenLock,
      .cannotLock, .noPostgresUser, .cannotChown, .serverProgramsMissing:
      .stepFailed
    case .embeddedHostNotLocal: .configError
    }
  }

  /// The kind in words: message, notes and help, at the place the kind carries, else at
  /// `location`.
  public func diagnostic(at location: SourceLocation?) -> Diagnostic {
    var diagnostic = words
    if diagnostic.location == nil { diagnostic.location = location }
    // The diagnostic keeps its kind wherever it goes (a check's ConfigError included), so
    // `--format json` names the reason, not the error type that carried it.
    diagnostic.errorKind = self
    return diagnostic
  }

  private var words: Diagnostic {
    switch self {
    case .resetNeedsConsent:
      .error(
        "refusing to reset the embedded server without consent: it deletes .cruddur/ and every database in it",
        help: "pass --yes, or run it on a terminal and type `reset`")
    case .resetNotConfirmed:
      .error("not confirmed: expected `reset`, nothing was changed")
    case .foreignEmbeddedServer(let address, let directory, let environment):
      .error(
        "\(address) is the embedded server of another project (\(directory)), not this one's",
        help:
          "stop it (`cruddur local stop` in that project) or give `\(environment)` another port in its URL"
      )
    case .orphanedServerRunning(let port, let pid):
      .error(
        "cannot start the embedded server: the one whose .cruddur/ was removed still runs on port \(port) (postgres, pid \(pid))",
        help: "`cruddur local stop` stops it")
    case .portTaken(let port, let holder):
      .error(
        "cannot start the embedded server: port \(port) on 127.0.0.1 is already taken by \(holder ?? "another program")",
        help: holder == nil
          ? "stop what listens there, or put another port in the environment's URL"
          : "stop it, or put another port in the environment's URL")
    case .socketPathTooLong(let path):
      .error(
        "the embedded server's socket path is too long: \(path)",
        help: "move the project to a shorter path")
    case .serverStartFailed(let output, let logTail, let logFile):
      .error("cannot start the embedded server: \(output)\n\(logTail)", help: "see \(logFile)")
    case .serverStopFailed(let output):
      .error("cannot stop the embedded server: \(output)")
    case .serverSignalFailed(let pid, let reason):
      .error("cannot stop the embedded server (pid \(pid)): \(reason)")
    case .serverDidNotStop(let pid, let seconds):
      .error("the embedded server (pid \(pid)) did not stop within \(seconds) s")
    case .initdbFailed(let output, let folder):
      .error(
        "initdb failed: \(output)",
        help: folder.map { "the `postgres` user must be able to enter every folder above \($0)" })
    case .cannotOpenLock(let path, let reason):
      .error("cannot open \(path): \(reason)")
    case .cannotLock(let path, let reason):
      .error("cannot lock \(path): \(reason)")
    case .noPostgresUser:
      .error(
        "cruddur runs as root and there is no `postgres` user to run the embedded server",
        help: "install PostgreSQL (apt-get install postgresql) or run cruddur as a normal user")
    case .cannotChown(let path, let reason):
      .error("cannot hand \(path) to the postgres user: \(reason)")
    case .serverProgramsMissing:
      .error(
        "cannot find PostgreSQL's server programs (initdb, pg_ctl)",
        help: "install them (apt-get install postgresql) or set PG_BINDIR")
    case .embeddedHostNotLocal(let environment, let host):
      .error(
        "environment `\(environment)` is `embedded: true` but its host `\(host)` is not this machine",
        help: "use localhost or 127.0.0.1 in its URL, or drop `embedded: true`")
    }
  }
}

extension RunError {
  /// An embedded server's reason (`RunError(.portTaken(...))`).
  public init(_ kind: EmbeddedServerErrorKind) { self.init(kinds: [kind]) }
}
