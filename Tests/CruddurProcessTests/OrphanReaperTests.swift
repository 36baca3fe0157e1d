import Foundation
import Testing

@testable import CruddurProcess

#if canImport(Glibc)
  import Glibc
#endif

/// The orphan reaper tells the children cruddur spawned (waited for by their spawner) from
/// processes it adopted (reaped by pid): it must never take a spawned child's exit status.
/// Nothing here reaps: the test process's other children belong to other tests.
@Suite struct OrphanReaperTests {
  /// Waits (off the cooperative pool, bounded) until `pid` has exited and not been reaped.
  static func becomesZombie(_ pid: pid_t) async -> Bool {
    await withCheckedContinuation { continuation in
      DispatchQueue.global().async {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
          let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
          if let close = stat.lastIndex(of: ")"), stat[stat.index(after: close)...].hasPrefix(" Z") {
            return continuation.resume(returning: true)
          }
          usleep(5_000)
        }
        continuation.resume(returning: false)
      }
    }
  }

  @Test("a spawned child that exited is not taken for an adopted one; its spawner still gets its status")
  func spawnedChildIsNotAdopted() async throws {
    let process = ChildProcess(
      executable: "/bin/sh", arguments: ["-c", "exit 7"], environment: ["PATH": "/usr/bin:/bin"])
    let pid = try process.spawn(stdout: 2, stderr: 2)
    #expect(await Self.becomesZombie(pid))
    #expect(!OrphanReaper.adopted().contains { $0.pid == pid })
    #expect(ChildProcess.wait(pid) == 7)
  }

  @Test("hostile twin: a child not spawned through ChildProcess, exited, is seen as adopted (and reaped by pid)")
  func unrecordedChildIsAdopted() async throws {
    var pid: pid_t = 0
    let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
    defer { argv.forEach { free($0) } }
    #expect(posix_spawn(&pid, "/bin/true", nil, nil, argv, nil) == 0)
    #expect(await Self.becomesZombie(pid))
    let adopted = OrphanReaper.adopted().first { $0.pid == pid }
    #expect(adopted?.isZombie == true)
    var status: Int32 = 0
    #expect(waitpid(pid, &status, 0) == pid)
  }
}
