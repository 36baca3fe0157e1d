import CProcessSpawn
import CruddurCore

#if canImport(Glibc)
  import Glibc
#endif

// Why not swift-subprocess (1.0.2, evaluated for issue 9). On Linux it does most of what
// we need: a new process group (PlatformOptions.processGroupID = 0), a working directory,
// an exact environment (.custom), stdin from bytes, stderr combined into stdout, and one
// epoll thread for every child. Three things do not fit:
// - No spawn that hands back a pid. A child lives inside `run`'s closure and Subprocess
//   reaps it, so `spawn` + `wait` (CruddurBinary, CancelTests and the moto server signal
//   and reap a pid they hold) would stay on posix_spawn: two ways to spawn.
// - Its lifetimes are not ours. When the leader exits it cancels the reads still pending,
//   so what a background grandchild prints later is lost (we read to end of file). Its
//   teardown on cancellation ends in SIGKILL (to the leader alone unless the last step
//   names the group), and stops as soon as the leader is gone, leaving a grandchild that
//   ignored SIGTERM running; we SIGTERM the group, SIGKILL it after the grace period and
//   wait until no member is left. Keeping that means shielding its `run` from
//   cancellation and doing termination around it anyway.
// - It is async only; `runCollectingOutput` serves synchronous callers (an executor's
//   `describe`, initdb and pg_ctl), and bridging blocks a thread on work that needs the
//   cooperative pool (two threads on this machine).
// And it costs build time: a clean debug build went from 257 to 334 steps and from 53 to
// 76 s of CPU (77 to 107 s wall, shared 2-core machine; a second pair: 56 to 71 s CPU);
// Subprocess with swift-system alone is 74 steps, 26 s of CPU.
// So posix_spawn stays, with one poll(2) thread per child (PipePoller). The terminal
// hand-over (tcsetpgrp) and `exec` for `connect` would have been ours either way:
// Subprocess has neither.

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

  /// Which stream a line came from.
  public enum Stream: String, Sendable { case stdout, stderr }

  /// How a supervised child ended.
  public struct Termination: Sendable, Hashable {
    /// Exit code, or 128 + the signal that ended it.
    public var status: Int32
    public var isTimedOut: Bool
    /// Processes the command left running in its group when it exited, ended with it.
    public var endedLeftovers: Int = 0
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
    // Only 0, 1 and 2 reach the child: a descriptor another thread opened without
    // O_CLOEXEC (a test writing a plugin, a library's file) must not live on in it.
    _ = cruddur_spawn_addclosefrom(&actions, 3)
    if let workingDirectory { _ = cruddur_spawn_addchdir(&actions, workingDirectory) }

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawnattr_setpgroup(&attributes, 0)
    // Children must not inherit a blocked or ignored signal from us: cruddur ignores the
    // four that end a run (Interrupts reads them from a dispatch source) and SIGPIPE may be
    // ignored by whoever started us.
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE] { sigaddset(&defaults, signal) }
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
    // Recorded as it is made: the orphan reaper must never take it for an adopted process.
    return try SpawnedChildren.shared.recording {
      let rc = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
      guard rc == 0 else { throw SpawnError(command: executable, code: rc) }
      return pid
    }
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
    defer { SpawnedChildren.shared.forget(pid) }
    while waitpid(pid, &status, 0) < 0 {
      if errno != EINTR { return -1 }
    }
    let low = status & 0x7f
    if low == 0 { return (status >> 8) & 0xff }
    return 128 + low
  }

  /// A pipe for the child's output; both ends close on exec, so no other child started
  /// meanwhile holds our write end open and keeps the read from seeing end of file.
  func outputPipe() throws -> (read: Int32, write: Int32) {
    var fds: [Int32] = [0, 0]
    guard cruddur_pipe_cloexec(&fds) == 0 else { throw SpawnError(command: executable, code: errno) }
    return (fds[0], fds[1])
  }
}
