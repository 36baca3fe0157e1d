import CruddurTestSupport
import Foundation
import Testing

/// A dry-run refuses what the run would refuse, before either connects, and shows the value
/// each parameter would be bound to (a secret one masked).
@Suite struct DryRunStrictTests {
  @Test("a missing parameter: the dry-run fails exactly as the run does")
  func missingParameter() async throws {
    let project = try TypedWordsTests.project()
    defer { project.remove() }
    let run = try await project.run(["users:add", "a", "b", "c"], environment: TypedWordsTests.environment)
    let dry = try await project.run(["users:add", "a", "b", "c", "--dry-run"], environment: TypedWordsTests.environment)
    #expect(run.status == 2, "\(run)")
    #expect(dry.status == run.status && dry.stderr == run.stderr && dry.stdout == "", "\(dry)")
    #expect(
      dry.stderr.hasPrefix("error: task `users:add` needs parameter `cognito_user_id` ($4)\n"), "\(dry)")
  }

  @Test("the plan shows each bound value, quoted as SQL would; a secret one masked")
  func boundValues() async throws {
    let project = try TypedWordsTests.project(extraFiles: [
      "tasks/users.yml": """
      tasks:
        users:password:
          description: Set a password
          params: [handle, new_password]
          query: update public.users set password = $2 where handle = $1
      """
    ])
    defer { project.remove() }
    let dry = try await project.run(
      ["users:add", "Andrew O'Brien", "ab", "a@example.com", "MOCK", "users:password", "ab", "hunter2-long", "-n"],
      environment: TypedWordsTests.environment)
    #expect(dry.status == 0, "\(dry)")
    #expect(
      dry.stdout.contains(
        "   bound: display_name: 'Andrew O''Brien', handle: 'ab', email: 'a@example.com', cognito_user_id: 'MOCK'\n"),
      "\(dry)")
    #expect(dry.stdout.contains("   bound: handle: 'ab', new_password: ****\n"), "\(dry)")
    #expect(!dry.stdout.contains("hunter2-long") && !dry.stderr.contains("hunter2-long"), "\(dry)")
  }
}
