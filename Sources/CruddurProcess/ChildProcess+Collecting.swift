import CruddurCore
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

extension ChildProcess {
  /// Runs to completion, collecting output; `input`, when given, is the child's stdin.
  /// Blocks the calling thread: callers keep it off the cooperative pool.
  /// With a `deadline`, a child still running then has its process group killed and
  /// `DeadlineError` is thrown: nothing is left behind and the caller never hangs.
  /// `groups` knows the child while it runs, so a signal to cruddur can stop it. `stop`,
  /// once stopped, ends its group (TERM, then KILL after the grace) and this throws
  /// `CancellationError` once the whole group is gone; a child is not started after it.
  public func runCollectingOutput(
    stdin input: Data? = nil, deadline: Duration? = nil, groups: ProcessGroups? = nil, stop: ProcessStop? = nil
  ) throws -> Output {
    if stop?.isStopped == true { throw CancellationError() }
    let stdin = try input.map { try StdinPipe(feeding: $0, command: executable) }
    let output: (read: Int32, write: Int32)
    let pid: pid_t
    do {
      output = try outputPipe()
      do {
        pid = try spawn(stdin: stdin?.readEnd, stdout: output.write, stderr: output.write)
      } catch {
        close(output.read)
        close(output.write)
        throw error
      }
    } catch {
      if let stdin {
        close(stdin.readEnd)
        close(stdin.writeEnd)
      }
      throw error
    }
    close(output.write)
    groups?.insert(pid)
    defer { groups?.remove(pid) }
    let control = stop.map { GroupTermination(group: pid, gracePeriod: $0.gracePeriod) }
    if let control { stop?.attach(control) }
    defer { stop?.detach() }
    // One pipe for both streams: the text keeps the order the child wrote them in.
    var data = [UInt8]()
    var poller = PipePoller(outputs: [output.read], stdin: stdin)
    let ended = poller.run(until: deadline.map { ContinuousClock.now + $0 }) { _, bytes in
      data.append(contentsOf: bytes)
    } onEnd: { _ in }
    guard ended == .ended else {
      _ = kill(-pid, SIGKILL)
      _ = Self.wait(pid)
      throw DeadlineError(command: executable, seconds: deadline?.seconds ?? 0)
    }
    let status = Self.wait(pid)
    if let control, control.isTerminating {
      // Stopped: done only when nothing of the group is left (initdb's own postgres
      // children included), so the caller can remove what it was making.
      control.awaitGroupGone()
      throw CancellationError()
    }
    return Output(status: status, text: String(decoding: data, as: UTF8.self))
  }
}
