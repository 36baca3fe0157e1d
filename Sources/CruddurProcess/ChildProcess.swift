import CProcessSpawn
import CruddurCore
import Foundation
import Synchronization

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

  /// A child given a deadline was still running at it; its process group was killed.
  public struct DeadlineError: CruddurError {
    public var command: String
    public var seconds: Double
    public var exitStatus: ExitStatus { .stepFailed }
    public var diagnostics: [Diagnostic] {
      [.error("`\(command)` did not answer within \(SecondsText.shown(seconds)) s; it was stopped")]
    }
  }

  /// Runs to completion, collecting output; `input`, when given, is the child's stdin.
  /// Blocks the calling thread: callers keep it off the cooperative pool.
  /// With a `deadline`, a child still running then has its process group killed and
  /// `DeadlineError` is thrown: nothing is left behind and the caller never hangs.
  /// `groups` knows the child while it runs, so a signal to cruddur can stop it.
  public func runCollectingOutput(
    stdin input: Data? = nil, deadline: Duration? = nil, groups: ProcessGroups? = nil
  ) throws -> Output {
    var pipe: [Int32] = [0, 0]
    // Close-on-exec: a grandchild that outlives the child (a server pg_ctl starts) must
    // not hold the write end open, or the read below never sees end of file.
    guard Glibc.pipe(&pipe) == 0 else { throw SpawnError(command: executable, code: errno) }
    _ = fcntl(pipe[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(pipe[1], F_SETFD, FD_CLOEXEC)
    let stdinFD = try input.map { try StdinPipe.feeding($0, command: executable) }
    defer { if let stdinFD { close(stdinFD) } }
    let pid: pid_t
    do {
      pid = try spawn(stdin: stdinFD, stdout: pipe[1], stderr: pipe[1])
    } catch {
      close(pipe[0])
      close(pipe[1])
      throw error
    }
    close(pipe[1])
    groups?.insert(pid)
    defer { groups?.remove(pid) }
    let clock = ContinuousClock()
    let end = deadline.map { clock.now + $0 }
    var data = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      if let end {
        let left = end - clock.now
        let milliseconds = max(0, Int32(min(left.seconds * 1000, 3_600_000).rounded(.up)))
        var entry = pollfd(fd: pipe[0], events: Int16(POLLIN), revents: 0)
        let ready = poll(&entry, 1, milliseconds)
        if ready < 0, errno == EINTR { continue }
        if ready == 0 {
          _ = kill(-pid, SIGKILL)
          close(pipe[0])
          _ = Self.wait(pid)
          throw DeadlineError(command: executable, seconds: deadline?.seconds ?? 0)
        }
      }
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

  /// Which stream a line came from.
  public enum Stream: String, Sendable { case stdout, stderr }

  /// How a supervised child ended.
  public struct Termination: Sendable, Hashable {
    /// Exit code, or 128 + the signal that ended it.
    public var status: Int32
    public var isTimedOut: Bool
  }

  /// Runs the child, calling `onLine` with each line of stdout and stderr as it arrives.
  /// On timeout or task cancellation the whole process group gets SIGTERM, then SIGKILL
  /// after `gracePeriod`; cancellation then throws `CancellationError`.
  public func run(
    timeout: Duration? = nil, gracePeriod: Duration = .seconds(3), groups: ProcessGroups? = nil,
    stdin: Int32? = nil, onLine: @escaping @Sendable (String, Stream) -> Void
  ) async throws -> Termination {
    var out: [Int32] = [0, 0]
    var err: [Int32] = [0, 0]
    guard Glibc.pipe(&out) == 0 else { throw SpawnError(command: executable, code: errno) }
    guard Glibc.pipe(&err) == 0 else {
      close(out[0])
      close(out[1])
      throw SpawnError(command: executable, code: errno)
    }
    // Close-on-exec, so other children started meanwhile do not hold our write ends.
    for fd in out + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    let pid: pid_t
    do {
      pid = try spawn(stdin: stdin, stdout: out[1], stderr: err[1])
    } catch {
      (out + err).forEach { close($0) }
      throw error
    }
    close(out[1])
    close(err[1])
    let readers: [(Int32, Stream)] = [(out[0], .stdout), (err[0], .stderr)]
    return try await supervise(pid: pid, timeout: timeout, gracePeriod: gracePeriod, groups: groups) { done in
      for (fd, stream) in readers {
        done.enter()
        Thread.detachNewThread {
          Self.readLines(fd) { onLine($0, stream) }
          close(fd)
          done.leave()
        }
      }
    }
  }

  /// Runs the child on our terminal (stdin, stdout, stderr inherited) as the terminal's
  /// foreground process group, so keys like Ctrl-C reach it rather than us; takes the
  /// terminal back when it ends. For interactive programs such as `psql`.
  public func runInForeground(groups: ProcessGroups? = nil) async throws -> Termination {
    let pid = try spawn(stdin: 0, stdout: 1, stderr: 2)
    let hasTerminal = isatty(0) == 1
    // We become a background process while the child owns the terminal; taking it back
    // from the background raises SIGTTOU unless ignored.
    let previousTTOU = signal(SIGTTOU, SIG_IGN)
    if hasTerminal {
      _ = tcsetpgrp(0, pid)
      // The child may have touched the terminal before it was handed over and been stopped.
      _ = kill(-pid, SIGCONT)
    }
    defer {
      if hasTerminal { _ = tcsetpgrp(0, getpgrp()) }
      signal(SIGTTOU, previousTTOU)
    }
    return try await supervise(pid: pid, timeout: nil, gracePeriod: .seconds(3), groups: groups) { _ in }
  }

  /// Replaces this process with the child program (for `cruddur connect`). Returns only
  /// by throwing.
  public func exec() throws -> Never {
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    if let workingDirectory { _ = chdir(workingDirectory) }
    let path = Self.locate(executable, searchPath: environment["PATH"])
    execve(path, argv, envp)
    let code = errno
    argv.forEach { free($0) }
    envp.forEach { free($0) }
    throw SpawnError(command: executable, code: code)
  }

  /// Waits for the child and for the readers `startReaders` registers in `done`; handles
  /// timeout and cancellation by terminating the group.
  private func supervise(
    pid: pid_t, timeout: Duration?, gracePeriod: Duration, groups: ProcessGroups?,
    startReaders: (DispatchGroup) -> Void
  ) async throws -> Termination {
    groups?.insert(pid)
    defer { groups?.remove(pid) }
    let control = GroupTermination(group: pid, gracePeriod: gracePeriod)
    let done = DispatchGroup()
    startReaders(done)
    let status = StatusBox()
    done.enter()
    Thread.detachNewThread {
      status.value.withLock { $0 = Self.wait(pid) }
      // Once we asked the group to stop, the step is over only when the whole group is
      // gone (or the SIGKILL deadline passed): a grandchild ignoring SIGTERM must not
      // outlive it silently.
      if control.isTerminating { control.awaitGroupGone() }
      done.leave()
    }
    var timer: DispatchWorkItem?
    if let timeout {
      let item = DispatchWorkItem { control.terminate(timedOut: true) }
      timer = item
      DispatchQueue.global().asyncAfter(deadline: .now() + timeout.seconds, execute: item)
    }
    await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        done.notify(queue: .global()) { continuation.resume() }
      }
    } onCancel: {
      control.terminate(timedOut: false)
    }
    timer?.cancel()
    if control.isTerminating { control.awaitGroupGone() }
    if control.isCancelled { throw CancellationError() }
    return Termination(status: status.value.withLock { $0 }, isTimedOut: control.isTimedOut)
  }

  /// Reads `fd` to end of file, calling `body` per line (without its newline).
  static func readLines(_ fd: Int32, _ body: (String) -> Void) {
    var pending = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 16384)
    while true {
      let n = read(fd, &buffer, buffer.count)
      if n < 0, errno == EINTR { continue }
      guard n > 0 else { break }
      pending.append(contentsOf: buffer[0..<n])
      var start = 0
      while let newline = pending[start...].firstIndex(of: 10) {
        var end = newline
        if end > start, pending[end - 1] == 13 { end -= 1 }
        body(String(decoding: pending[start..<end], as: UTF8.self))
        start = newline + 1
      }
      pending.removeFirst(start)
    }
    if !pending.isEmpty { body(String(decoding: pending, as: UTF8.self)) }
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
    if let workingDirectory { _ = cruddur_spawn_addchdir(&actions, workingDirectory) }

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

/// The child's exit status, written by the waiting thread and read once all readers are done.
final class StatusBox: Sendable {
  let value = Mutex<Int32>(-1)
}
