import CProcessSpawn
import CruddurCore
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

extension ChildProcess {
  /// Runs the child, calling `onLine` with each line of stdout and stderr as it arrives;
  /// `input`, when given, is written to its stdin (otherwise stdin is /dev/null).
  /// On timeout or task cancellation the whole process group gets SIGTERM, then SIGKILL
  /// after `gracePeriod`; cancellation then throws `CancellationError`.
  public func run(
    timeout: Duration? = nil, gracePeriod: Duration = .seconds(3), groups: ProcessGroups? = nil,
    stdin input: Data? = nil, onLine: @escaping @Sendable (String, Stream) -> Void
  ) async throws -> Termination {
    let stdin = try input.map { try StdinPipe(feeding: $0, command: executable) }
    var pipes: [(read: Int32, write: Int32)] = []
    let pid: pid_t
    do {
      pipes.append(try outputPipe())
      pipes.append(try outputPipe())
      pid = try spawn(stdin: stdin?.readEnd, stdout: pipes[0].write, stderr: pipes[1].write)
    } catch {
      for pipe in pipes {
        close(pipe.read)
        close(pipe.write)
      }
      if let stdin {
        close(stdin.readEnd)
        close(stdin.writeEnd)
      }
      throw error
    }
    for pipe in pipes { close(pipe.write) }
    let outputs = pipes.map(\.read)
    let pump = OutputPump(poller: PipePoller(outputs: outputs, stdin: stdin), onLine: onLine)
    return try await supervise(pid: pid, timeout: timeout, gracePeriod: gracePeriod, groups: groups, pump: pump)
  }

  /// Runs `pump` (the child's I/O, to its end) and then waits for the child, on one thread
  /// of its own; handles timeout and cancellation by terminating the group.
  func supervise(
    pid: pid_t, timeout: Duration?, gracePeriod: Duration, groups: ProcessGroups?, pump: OutputPump? = nil
  ) async throws -> Termination {
    groups?.insert(pid)
    defer { groups?.remove(pid) }
    let control = GroupTermination(group: pid, gracePeriod: gracePeriod)
    var timer: DispatchWorkItem?
    if let timeout {
      let item = DispatchWorkItem { control.terminate(timedOut: true) }
      timer = item
      DispatchQueue.global().asyncAfter(deadline: .now() + timeout.seconds, execute: item)
    }
    let status = await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
        // A thread, not the cooperative pool: poll, read and waitpid block.
        Thread.detachNewThread {
          // The command is done when its process exits (the pidfd), not when its pipes
          // close: `sleep 60 &` holds them open for a minute.
          let exit = cruddur_pidfd_open(pid)
          let outcome = pump?.run(leaderExit: exit) ?? .ended
          let status = Self.wait(pid)
          if exit >= 0 { close(exit) }
          if outcome == .leaderExited {
            // The rule: what the command left running in its group ends with the step
            // (TERM, then KILL after the grace period), and the step says so.
            let left = GroupTermination.livingMembers(pid)
            if left > 0 {
              control.endLeftovers(count: left)
              control.awaitGroupGone()
            }
            pump?.finish(until: .now + .milliseconds(200))
          }
          // Once we asked the group to stop, the step is over only when the whole group is
          // gone (or the SIGKILL deadline passed): a grandchild ignoring SIGTERM must not
          // outlive it silently.
          if control.isTerminating { control.awaitGroupGone() }
          continuation.resume(returning: status)
        }
      }
    } onCancel: {
      control.terminate(timedOut: false)
    }
    timer?.cancel()
    if control.isTerminating { control.awaitGroupGone() }
    if control.isCancelled { throw CancellationError() }
    return Termination(status: status, isTimedOut: control.isTimedOut, endedLeftovers: control.endedLeftovers)
  }
}
