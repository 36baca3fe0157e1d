import CruddurTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Steps that may run at once, synchronised on FIFOs rather than on time: `a` and `b` meet
/// through two FIFOs, which only two steps running together can do (each waits for the
/// other); `bad` fails only once `long` has said it is running; `long` waits on a FIFO no one
/// ever writes, so it runs until it is stopped. A step that waits for a partner that never
/// comes fails at its `timeout:` rather than hanging the suite.
@Suite struct ParallelDepsTests {
  static let tasks = """
    tasks:
      a: { shell: 'echo a > ab; read x < ba; echo a-done', timeout: 60 }
      b: { shell: 'read x < ab; echo b > ba; echo b-done', timeout: 60 }
      both: { deps: [a, b], shell: echo both }
      one: { shell: echo one-done }
      two: { shell: echo two-done }
      one-then-two: { deps: [one, two], shell: echo both }
      bad: { shell: 'read x < started; exit 5', timeout: 60 }
      long: { shell: 'echo long > started; read x < never', timeout: 60 }
      after-long: { deps: [long], shell: echo never }
      mixed: { deps: [bad, long, after-long], shell: echo never }
    """

  static func project() throws -> TemporaryProject {
    let project = try shellProject(tasks)
    for fifo in ["ab", "ba", "started", "never"] { try project.directory.makeFIFO(fifo) }
    return project
  }

  func events(_ stdout: String) throws -> [[String: Any]] {
    try stdout.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  /// Lines of steps that run at once arrive in either order: compared as sorted lists.
  static let anyLineOrder = OutputSubstitution("lines sorted (steps running at once)") {
    $0.isEmpty ? "" : $0.split(separator: "\n").sorted().joined(separator: "\n") + "\n"
  }

  @Test("two independent deps overlap: each waits for the other, and both start before either finishes")
  func overlap() async throws {
    let project = try Self.project()
    defer { project.remove() }
    let result = try await project.run(["both", "-j", "2", "--format", "json"])
    #expect(result.status == 0, "\(result)")
    let names = try events(result.stdout).map { "\($0["event"]!) \($0["task"] ?? "")" }
    let firstFinish = try #require(names.firstIndex { $0.hasPrefix("step_finished") })
    #expect(names[..<firstFinish].filter { $0.hasPrefix("step_started") }.count == 2, "\(names)")
  }

  @Test("-j 1 runs them one after the other; the console prefixes lines only while steps overlap")
  func sequentialAndPrefixes() async throws {
    let project = try Self.project()
    defer { project.remove() }
    let sequential = try await project.run(["one-then-two", "-j", "1", "--format", "json"])
    let names = try events(sequential.stdout).map { "\($0["event"]!) \($0["task"] ?? "")" }
    #expect(
      names == [
        "run_started ", "step_started one", "step_output one", "step_finished one", "step_started two",
        "step_output two", "step_finished two", "step_started one-then-two", "step_output one-then-two",
        "step_finished one-then-two", "run_finished ",
      ], "\(sequential)")
    // While a and b run together their lines carry the task; `both` runs alone after them.
    let console = try await project.run(["both", "-j", "2"])
    console.expect(
      stdout: """
           done in <duration>
        == a sh: echo a > ab; read x < ba; echo a-done
        == b sh: read x < ab; echo b > ba; echo b-done
        == both sh: echo both
        a    |    done in <duration>
        a    | a-done
        b    |    done in <duration>
        b    | b-done
        both
        cruddur both on local (postgresql://app:****@127.0.0.1:1/appdb), 3 steps
        ✓ 3 steps done in <duration>

        """, normalizing: [.durations, Self.anyLineOrder])
    // Sorting hides the order; `both` starts only after both are done.
    let lines = console.stdout.split(separator: "\n").map(String.init)
    let bothStarts = try #require(lines.firstIndex(of: "== both sh: echo both"))
    let done = lines[..<bothStarts].filter { $0.hasPrefix("a    |    done in ") || $0.hasPrefix("b    |    done in ") }
    #expect(done.count == 2, "\(console)")
  }

  @Test("the first failure cancels the running sibling and starts nothing new; the summary says so")
  func failFast() async throws {
    let project = try Self.project()
    defer { project.remove() }
    try await project.expect(
      ["mixed", "-j", "4"],
      stdout: """
        cruddur mixed on local (postgresql://app:****@127.0.0.1:1/appdb), 4 steps
        == bad sh: read x < started; exit 5
        == long sh: echo long > started; read x < never
        ✗ run failed after <duration>: 0 done; failed: bad; cancelled: long; never started: after-long, mixed

        """,
      stderr: """
        == bad failed after <duration>, exit status 5
        error: the command exited with status 5
        == long cancelled after <duration>

        """, status: 1, normalizing: [.durations, Self.startedTogether])
  }

  /// `bad` and `long` start at once, so either header line may be printed first (seen in CI).
  static let startedTogether = OutputSubstitution("the header lines of bad and long in name order") {
    $0.replacingOccurrences(
      of: "== long sh: echo long > started; read x < never\n== bad sh: read x < started; exit 5\n",
      with: "== bad sh: read x < started; exit 5\n== long sh: echo long > started; read x < never\n")
  }
}
