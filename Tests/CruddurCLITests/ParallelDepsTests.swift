import CruddurTestSupport
import Foundation
import Testing

@Suite struct ParallelDepsTests {
  static let tasks = """
    tasks:
      a: { shell: 'sleep 1; echo a-done' }
      b: { shell: 'sleep 1; echo b-done' }
      both: { deps: [a, b], shell: echo both }
      bad: { shell: 'sleep 0.3; exit 5' }
      long: { shell: 'sleep 30' }
      after-long: { deps: [long], shell: echo never }
      mixed: { deps: [bad, long, after-long], shell: echo never }
    """

  func events(_ stdout: String) throws -> [[String: Any]] {
    try stdout.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  @Test("two independent 1-second deps overlap: both start before either finishes")
  func overlap() async throws {
    let project = try shellProject(Self.tasks)
    defer { project.remove() }
    let result = try await project.run(["both", "-j", "2", "--format", "json"])
    #expect(result.status == 0, "\(result)")
    let names = try events(result.stdout).map { "\($0["event"]!) \($0["task"] ?? "")" }
    let firstFinish = try #require(names.firstIndex { $0.hasPrefix("step_finished") })
    #expect(names[..<firstFinish].filter { $0.hasPrefix("step_started") }.count == 2, "\(names)")
  }

  @Test("-j 1 runs them one after the other; the console prefixes lines only while steps overlap")
  func sequentialAndPrefixes() async throws {
    let project = try shellProject(Self.tasks)
    defer { project.remove() }
    let sequential = try await project.run(["both", "-j", "1", "--format", "json"])
    let names = try events(sequential.stdout).map { "\($0["event"]!) \($0["task"] ?? "")" }
    #expect(names.firstIndex(of: "step_finished a")! < names.firstIndex(of: "step_started b")!)
    let console = try await project.run(["both", "-j", "2"])
    #expect(console.stdout.contains("a    | a-done"), "\(console)")
    #expect(console.stdout.contains("b    | b-done"))
    #expect(console.stdout.contains("\nboth\n"))
  }

  @Test("the first failure cancels the running sibling and starts nothing new; the summary says so")
  func failFast() async throws {
    let project = try shellProject(Self.tasks)
    defer { project.remove() }
    try await project.expect(["mixed", "-j", "4"], stdout: """
      cruddur mixed on local (postgresql://app:****@127.0.0.1:1/appdb), 4 steps
      == bad sh: sleep 0.3; exit 5
      == long sh: sleep 30
      ✗ run failed after <duration>: 0 done; failed: bad; cancelled: long; never started: after-long, mixed

      """, stderr: """
      == bad failed after <duration>, exit status 5
      error: the command exited with status 5
      == long cancelled after <duration>

      """, status: 1, normalizing: [.durations])
  }
}
