import CruddurCore
import CruddurProcess
import Foundation
internal import CLibPQ

#if canImport(Glibc)
  import Glibc
#endif

/// A project-local PostgreSQL under `.cruddur/`, made with the installed `initdb` and
/// `pg_ctl`, listening on 127.0.0.1 at the URL's port and on a socket in `.cruddur/run`.
/// The code behind `cruddur local` and behind `embedded: true`; the test suite uses it too.
public struct LocalCluster: Sendable {
  public let directory: String
  public let user: String
  public let password: String?
  public let port: String
  /// Whether the server is marked as this directory's project's (`cruddur.project`); a
  /// server shared by many projects (the test suite's) is not.
  public let marksProject: Bool
  /// More `-c name=value` settings for the server's command line (the test suite's cluster
  /// raises `max_connections`: its suites run in parallel, fleets and lock tests included).
  public var serverSettings: [String: String] = [:]

  public var dataDirectory: String { directory + "/data" }
  public var socketDirectory: String { directory + "/run" }
  public var logFile: String { directory + "/postgres.log" }
  private var lockFile: String { directory + "/lock" }

  public init(directory: String, user: String, password: String?, port: String, marksProject: Bool = true) {
    self.marksProject = marksProject
    self.directory = directory
    self.user = user
    self.password = password
    self.port = port
  }

  /// The cluster for an environment's URL in a project.
  public init(projectRoot: String, info: ConnInfo) {
    self.init(directory: projectRoot + "/.cruddur", user: info.user, password: info.password, port: info.port)
  }

  public enum Status: Sendable, Equatable {
    case notCreated
    case stopped
    case running(pid: Int)
    /// `.cruddur/` (or its pid file) was removed while the server ran: it still listens,
    /// found by its port.
    case orphaned(pid: Int)
  }

  public func status() -> Status {
    let exists = FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION")
    if exists, let pidText = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
      let pid = pidText.split(separator: "\n").first.flatMap({ Int($0) }), Self.isAlive(pid)
    {
      return .running(pid: pid)
    }
    if let holder = PortOwner.find(port: Int(port) ?? 0), holder.isServer(of: dataDirectory) {
      return .orphaned(pid: holder.pid)
    }
    return exists ? .stopped : .notCreated
  }

  /// The PostgreSQL version the cluster was made with (`PG_VERSION`).
  public var version: String? {
    (try? String(contentsOfFile: dataDirectory + "/PG_VERSION", encoding: .utf8))?.trimmingTrailingNewlines()
  }

  public enum StartOutcome: Sendable, Equatable {
    case alreadyRunning(pid: Int)
    case started
    case created
  }

  /// Creates the cluster if needed and starts it; safe when several processes race. Never
  /// runs `initdb` or `pg_ctl start` into a port something else holds: that made a
  /// cluster that could not start, blamed on "another program".
  ///
  /// `initdb` and `pg_ctl` run in process groups `groups` knows (a second Ctrl-C kills
  /// them) and `stop` ends (TERM, then KILL after its grace); a stopped start throws
  /// `CancellationError`. A stopped `initdb` leaves no data folder: it works in a folder of
  /// its own, renamed to `data` only once complete. A `pg_ctl start` already under way is
  /// let finish: it starts the postmaster in a session of its own, so ending pg_ctl would
  /// leave a server starting with no one waiting for it; the cluster is whole either way.
  @discardableResult
  public func start(stop: ProcessStop? = nil, groups: ProcessGroups? = nil) throws -> StartOutcome {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    return try withLock {
      switch status() {
      case .running(let pid): return .alreadyRunning(pid: pid)
      case .orphaned(let pid):
        throw RunError(.orphanedServerRunning(port: port, pid: pid))
      case .notCreated, .stopped: break
      }
      if PortOwner.isListening(port: Int(port) ?? 0) {
        throw RunError(.portTaken(port: port, holder: PortOwner.find(port: Int(port) ?? 0)?.description))
      }
      let owner = try Self.serverOwner()
      let isNew = status() == .notCreated
      if isNew { try initialize(owner: owner, stop: stop, groups: groups) }
      if stop?.isStopped == true { throw CancellationError() }
      try FileManager.default.createDirectory(atPath: socketDirectory, withIntermediateDirectories: true)
      if let owner { try Self.chown([socketDirectory, directory], to: owner) }
      // The socket path has a 107-byte limit in the kernel.
      guard (socketDirectory + "/.s.PGSQL.\(port)").utf8.count < 108 else {
        throw RunError(.socketPathTooLong(socketDirectory))
      }
      // `cruddur.project` marks the server as this project's: another project whose URL
      // names the same port finds it and refuses, instead of using (and dropping) our data.
      let options =
        "-h 127.0.0.1 -p \(port) -k '\(socketDirectory)'" + (marksProject ? " -c cruddur.project='\(directory)'" : "")
        + serverSettings.sorted { $0.key < $1.key }.map { " -c \($0.key)=\($0.value)" }.joined()
      let output = try serverCommand(
        "pg_ctl", ["-D", dataDirectory, "-l", logFile, "-w", "-t", "60", "-o", options, "start"], owner: owner,
        groups: groups)
      if output.status != 0 { throw startFailure(output.text) }
      // pg_ctl detached the postmaster into a session of its own; when pg_ctl exits, a run's
      // orphan reaper adopts it, and must leave it running.
      if case .running(let pid) = status() { OrphanReaper.shared.spare(pid_t(pid)) }
      return isNew ? .created : .started
    }
  }

  /// Stops the server whatever state `.cruddur/` is in: through `pg_ctl` when its pid file
  /// is there, else found by its port. Returns the pid it stopped, nil if none ran.
  @discardableResult
  public func stop() throws -> Int? {
    // No folder, no lock file to take; and nothing to race with over creating it.
    guard FileManager.default.fileExists(atPath: directory) else { return try stopUnlocked() }
    return try withLock { try stopUnlocked() }
  }

  /// Stops the server, removes `.cruddur/` and creates a new cluster.
  public func reset(stop processStop: ProcessStop? = nil) throws -> StartOutcome {
    try stop()
    if FileManager.default.fileExists(atPath: directory) { try FileManager.default.removeItem(atPath: directory) }
    return try start(stop: processStop)
  }

  private func stopUnlocked() throws -> Int? {
    switch status() {
    case .notCreated, .stopped:
      return nil
    case .running(let pid):
      let output = try serverCommand(
        "pg_ctl", ["-D", dataDirectory, "-w", "-t", "60", "-m", "fast", "stop"], owner: try Self.serverOwner())
      if output.status != 0 {
        throw RunError(.serverStopFailed(output: output.text.trimmingTrailingNewlines()))
      }
      return pid
    case .orphaned(let pid):
      // pg_ctl needs the data directory; SIGINT is the fast shutdown it would have sent.
      guard kill(pid_t(pid), SIGINT) == 0 else {
        throw RunError(.serverSignalFailed(pid: pid, reason: String(cString: strerror(errno))))
      }
      let seconds = 60
      let deadline = ContinuousClock.now + .seconds(seconds)
      while Self.isAlive(pid) {
        guard ContinuousClock.now < deadline else {
          throw RunError(.serverDidNotStop(pid: pid, seconds: seconds))
        }
        usleep(20_000)
      }
      return pid
    }
  }

  /// Makes the cluster in `data.partial-<pid>` and renames it to `data` once `initdb`
  /// succeeded: a run stopped or killed in the middle (a second Ctrl-C, SIGKILL, a power
  /// cut) leaves no `data/PG_VERSION`, so the next run sees no cluster and makes one
  /// instead of trusting a half-made one (initdb writes PG_VERSION early). Leftover partial
  /// folders are removed here, under the lock; the pid in the name keeps an orphaned
  /// initdb still writing into its own folder apart from ours.
  private func initialize(owner: passwd?, stop: ProcessStop?, groups: ProcessGroups?) throws {
    let fileManager = FileManager.default
    for entry in (try? fileManager.contentsOfDirectory(atPath: directory)) ?? []
    where entry.hasPrefix(Self.partialPrefix) {
      try? fileManager.removeItem(atPath: directory + "/" + entry)
    }
    // No PG_VERSION in it (else the status would not be "not created"): not a cluster.
    if fileManager.fileExists(atPath: dataDirectory) { try? fileManager.removeItem(atPath: dataDirectory) }
    let partial = directory + "/" + Self.partialPrefix + String(getpid())
    try fileManager.createDirectory(atPath: partial, withIntermediateDirectories: true)
    var complete = false
    defer { if !complete { try? fileManager.removeItem(atPath: partial) } }
    let passwordFile = directory + "/.pwfile"
    // The password reaches initdb through a 0600 file, never its command line.
    _ = fileManager.createFile(
      atPath: passwordFile, contents: Data((password ?? "").utf8), attributes: [.posixPermissions: 0o600])
    defer { try? fileManager.removeItem(atPath: passwordFile) }
    if let owner { try Self.chown([directory, partial, passwordFile], to: owner) }
    chmod(partial, 0o700)
    var arguments = [
      "-D", partial, "-U", user, "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions",
    ]
    if password != nil {
      arguments += ["--pwfile=\(passwordFile)", "--auth-local=scram-sha-256", "--auth-host=scram-sha-256"]
    } else {
      arguments += ["--auth-local=trust", "--auth-host=trust"]
    }
    let output = try serverCommand("initdb", arguments, owner: owner, stop: stop, groups: groups)
    guard output.status == 0 else {
      throw RunError(
        .initdbFailed(
          output: output.text.trimmingTrailingNewlines(),
          inaccessibleAbove: output.text.contains("Permission denied") ? directory : nil))
    }
    // The cluster holds no absolute path of its folder: renaming it is safe.
    guard rename(partial, dataDirectory) == 0 else {
      throw RunError(
        .initdbFailed(output: "cannot rename \(partial) to \(dataDirectory): \(String(cString: strerror(errno)))",
          inaccessibleAbove: nil))
    }
    complete = true
    // The role it was made with, so a later URL with another user can be told which one.
    _ = FileManager.default.createFile(atPath: roleFile, contents: Data((user + "\n").utf8))
  }

  /// How the folder `initdb` works in begins; see `initialize`.
  static let partialPrefix = "data.partial-"

  /// Where the superuser role the cluster was made with is kept (not a secret).
  var roleFile: String { directory + "/role" }

  /// The superuser role the cluster was made with, when it was made by this version.
  public var createdRole: String? {
    (try? String(contentsOfFile: roleFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  private func startFailure(_ pgCtlOutput: String) -> RunError {
    let log = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
    let lastLines = log.split(separator: "\n").suffix(4).joined(separator: "\n")
    if log.contains("Address already in use") {
      // Looked for again: the check before the start reads /proc/net/tcp, which the kernel
      // hands out a page at a time, so a listener can be missed while many sockets come
      // and go (a full test run); the server's own bind is what found it.
      return RunError(.portTaken(port: port, holder: PortOwner.find(port: Int(port) ?? 0)?.description))
    }
    return RunError(
      .serverStartFailed(output: pgCtlOutput.trimmingTrailingNewlines(), logTail: lastLines, logFile: logFile))
  }

  /// Runs a PostgreSQL server program, as the `postgres` user when we are root (initdb
  /// and pg_ctl refuse to run as root).
  private func serverCommand(
    _ program: String, _ arguments: [String], owner: passwd?, stop: ProcessStop? = nil, groups: ProcessGroups? = nil
  ) throws -> ChildProcess.Output {
    let binary = try Self.binDirectory() + "/" + program
    var environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]
    let process: ChildProcess
    if let owner {
      environment["HOME"] = String(cString: owner.pw_dir)
      process = ChildProcess(
        executable: "/usr/sbin/runuser", arguments: ["-u", String(cString: owner.pw_name), "--", binary] + arguments,
        environment: environment, workingDirectory: "/")
    } else {
      process = ChildProcess(executable: binary, arguments: arguments, environment: environment, workingDirectory: "/")
    }
    return try process.runCollectingOutput(groups: groups, stop: stop)
  }

  /// Whether a process is still there: a zombie has stopped, and in a container whose
  /// first process reaps nothing, a stopped server stays one.
  private static func isAlive(_ pid: Int) -> Bool {
    guard kill(pid_t(pid), 0) == 0 else { return false }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let end = stat.lastIndex(of: ")")
    else { return true }
    return stat[stat.index(after: end)...].trimmingCharacters(in: .whitespaces).first != "Z"
  }

  private func withLock<T>(_ body: () throws -> T) throws -> T {
    let fd = open(lockFile, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw RunError(.cannotOpenLock(path: lockFile, reason: String(cString: strerror(errno)))) }
    defer { close(fd) }
    while flock(fd, LOCK_EX) != 0 {
      if errno != EINTR { throw RunError(.cannotLock(path: lockFile, reason: String(cString: strerror(errno)))) }
    }
    defer { flock(fd, LOCK_UN) }
    return try body()
  }

  /// The `postgres` account when running as root, nil otherwise.
  private static func serverOwner() throws -> passwd? {
    guard geteuid() == 0 else { return nil }
    guard let entry = getpwnam("postgres") else {
      throw RunError(.noPostgresUser)
    }
    return entry.pointee
  }

  private static func chown(_ paths: [String], to owner: passwd) throws {
    for path in paths where Glibc.chown(path, owner.pw_uid, owner.pw_gid) != 0 {
      throw RunError(.cannotChown(path: path, reason: String(cString: strerror(errno))))
    }
  }

  /// `$PG_BINDIR`, else the newest `/usr/lib/postgresql/*/bin`, else `pg_config --bindir`.
  public static func binDirectory() throws -> String {
    if let explicit = ProcessEnvironment.value("PG_BINDIR") { return explicit }
    let versions = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
      .compactMap(Int.init).sorted()
    if let newest = versions.last { return "/usr/lib/postgresql/\(newest)/bin" }
    let output = try? ChildProcess(
      executable: "pg_config", arguments: ["--bindir"], environment: ["PATH": "/usr/local/bin:/usr/bin:/bin"]
    ).runCollectingOutput()
    if let output, output.status == 0 { return output.text.trimmingTrailingNewlines() }
    throw RunError(.serverProgramsMissing)
  }

  /// For an `embedded: true` environment: when nothing answers at its URL, start (and if
  /// needed create) the project's cluster. Blocks; keep it off the cooperative pool.
  @discardableResult
  public static func ensureRunning(
    _ info: ConnInfo, environment: ResolvedEnvironment, projectRoot: String, stop: ProcessStop? = nil,
    groups: ProcessGroups? = nil
  ) throws -> ServerReport? {
    guard environment.isEmbedded else { return nil }
    let cluster = LocalCluster(projectRoot: projectRoot, info: info)
    func report(_ action: ServerReport.Action, pid: Int? = nil, address: String? = nil) -> ServerReport {
      ServerReport(
        environment: environment.name, action: action, address: address ?? "127.0.0.1:\(info.port)",
        dataDirectory: ".cruddur/data", pid: pid)
    }
    if ping(info) { return answeringReport(info, environment: environment, projectRoot: projectRoot) }
    let localHosts: Set<String> = ["localhost", "127.0.0.1", "::1"]
    guard localHosts.contains(info.host) || info.host.hasPrefix("/") else {
      throw RunError(.embeddedHostNotLocal(environment: environment.name, host: info.host))
    }
    switch try cluster.start(stop: stop, groups: groups) {
    case .created: return report(.created)
    case .started: return report(.started)
    case .alreadyRunning(let pid): return report(.running, pid: pid)
    }
  }

  /// Which server answers at the URL, once something did (a ping, or a connection that
  /// needs no ping before it): this project's cluster, or another server on its port.
  public static func answeringReport(_ info: ConnInfo, environment: ResolvedEnvironment, projectRoot: String)
    -> ServerReport
  {
    if case .running(let pid) = LocalCluster(projectRoot: projectRoot, info: info).status() {
      return ServerReport(
        environment: environment.name, action: .running, address: "127.0.0.1:\(info.port)",
        dataDirectory: ".cruddur/data", pid: pid)
    }
    // No pid: finding it means reading every process's descriptors under /proc, a
    // quarter of a one-query run's CPU (bench/notes.md); `local status` names the holder.
    return ServerReport(
      environment: environment.name, action: .foreign, address: "\(info.host):\(info.port)",
      dataDirectory: ".cruddur/data", pid: nil)
  }

  /// Whether a server answers at the URL: libpq's ping, which needs no valid login.
  public static func ping(_ info: ConnInfo) -> Bool {
    // Without libpq nothing answers; connecting then reports why it could not load.
    guard (try? LibPQ.load()) != nil else { return false }
    var probe = info
    probe["connect_timeout"] = "3"
    return probe.withKeywordArrays { PQpingParams($0, $1, 0) } == PQPING_OK
  }
}
