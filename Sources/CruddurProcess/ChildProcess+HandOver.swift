import Foundation

#if canImport(Glibc)
  import Glibc
#endif

extension ChildProcess {
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
    return try await supervise(pid: pid, timeout: nil, gracePeriod: .seconds(3), groups: groups)
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
}
