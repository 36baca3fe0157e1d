import CruddurCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one place cruddur starts processes. Children get their own process group, so a
/// cancel or timeout can signal everything they started.
public struct ChildProcess: Sendable {
  public var executable: String
  public var arguments: [String]
  /// The full environment of the child (nothing is inherited implicitly).
  public var environment: [String: String]
  public var workingDirectory: String?

  public init(
    executable: String, arguments: [String], environment: [String: String], workingDirectory: String? = nil
  ) {
    self.executable = executable
    self.arguments = arguments
    self.environment = environment
    self.workingDirectory = workingDirectory
  }

  public struct Output: Sendable {
    public var status: Int32
    /// stdout and stderr interleaved as the child wrote them.
    public var text: String
  }

  public struct SpawnError: CruddurError {
    public var command: String
    public var code: Int32
    public var exitStatus: ExitStatus { .stepFailed }
    public var diagnostics: [Diagnostic] {
      [.error("cannot start `\(command)`: \(String(cString: strerror(code)))")]
    }
  }

  /// Runs to completion, collecting output. Blocks the calling thread: callers keep it off
  /// the cooperative pool.
  public func runCollectingOutput() throws -> Output {
    var pipe: [Int32] = [0, 0]
    // Close-on-exec: a grandchild that outlives the child (a server pg_ctl starts) must
    // not hold the write end open, or the read below never sees end of file.
    guard Glibc.pipe(&pipe) == 0 else { throw SpawnError(command: executable, code: errno) }
    _ = fcntl(pipe[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(pipe[1], F_SETFD, FD_CLOEXEC)
    let pid = try spawn(stdout: pipe[1], stderr: pipe[1])
    close(pipe[1])
    var data = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = read(pipe[0], &buffer, buffer.count)
      if n > 0 {
        data.append(contentsOf: buffer[0..<n])
      } else if n < 0, errno == EINTR {
        continue
      } else {
        break
      }
    }
    close(pipe[0])
    let status = Self.wait(pid)
    return Output(status: status, text: String(decoding: data, as: UTF8.self))
  }

  /// Starts the child in a new process group with the given descriptors; returns its pid.
  public func spawn(stdin: Int32? = nil, stdout: Int32, stderr: Int32) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if let stdin {
      posix_spawn_file_actions_adddup2(&actions, stdin, 0)
    } else {
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    }
    posix_spawn_file_actions_adddup2(&actions, stdout, 1)
    posix_spawn_file_actions_adddup2(&actions, stderr, 2)
    if let workingDirectory { posix_spawn_file_actions_addchdir_np(&actions, workingDirectory) }

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawnattr_setpgroup(&attributes, 0)
    // Children must not inherit a blocked or ignored SIGINT/SIGPIPE from us.
    var defaults = sigset_t()
    sigemptyset(&defaults)
    sigaddset(&defaults, SIGINT)
    sigaddset(&defaults, SIGPIPE)
    sigaddset(&defaults, SIGTERM)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    posix_spawnattr_setflags(
      &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var pid: pid_t = 0
    let path = Self.locate(executable, searchPath: environment["PATH"])
    let rc = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
    guard rc == 0 else { throw SpawnError(command: executable, code: rc) }
    return pid
  }

  /// The executable's path, searched in the child's PATH (not ours) when it has no slash.
  public static func locate(_ executable: String, searchPath: String?) -> String {
    guard !executable.contains("/") else { return executable }
    let directories = (searchPath ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
    for directory in directories {
      let candidate = "\(directory)/\(executable)"
      if access(candidate, X_OK) == 0 { return candidate }
    }
    return executable
  }

  /// Waits for the child; returns its exit code, or 128 + signal number.
  public static func wait(_ pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
      if errno != EINTR { return -1 }
    }
    let low = status & 0x7f
    if low == 0 { return (status >> 8) & 0xff }
    return 128 + low
  }
}

// glibc has had this since 2.29, but Swift's Glibc module does not export it (it is
// behind _GNU_SOURCE); declaring it here avoids a C shim target for one function.
@_silgen_name("posix_spawn_file_actions_addchdir_np")
private func posix_spawn_file_actions_addchdir_np(
  _ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>
) -> Int32
