import CruddurTestSupport
import Testing

/// A task's `vars` may use each other, in any order they are written; a cycle is an error.
@Suite struct TaskVarsTests {
  static func project(_ vars: String) throws -> TemporaryProject {
    try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local: { url: "postgresql://postgres:pw@127.0.0.1:1/app" }
      tasks:
        greet:
          vars: \(vars)
          shell: echo "$GREETING"
      """
    ])
  }

  @Test("a var uses a sibling written after it, and that one a third")
  func siblings() async throws {
    let project = try Self.project("{ GREETING: \"${SALUTATION} ${WHO}\", WHO: \"${PLANET}\", SALUTATION: hello, PLANET: world }")
    defer { project.remove() }
    try await project.expect(["greet"], stdout: """
      cruddur greet on local (postgresql://postgres:****@127.0.0.1:1/app), 1 step
      == greet sh: echo "$GREETING"
      hello world
         done in <duration>
      ✓ 1 step done in <duration>

      """, normalizing: [.durations])
    // --set is above task vars, also for the vars that use it.
    try await project.expect(["greet", "--set", "PLANET=mars"], stdout: """
      cruddur greet on local (postgresql://postgres:****@127.0.0.1:1/app), 1 step
      == greet sh: echo "$GREETING"
      hello mars
         done in <duration>
      ✓ 1 step done in <duration>

      """, normalizing: [.durations])
  }

  @Test("vars that refer to each other in a cycle are an error showing the cycle")
  func cycle() async throws {
    let project = try Self.project("{ GREETING: \"${A}\", A: \"x ${B}\", B: \"y ${A}\" }")
    defer { project.remove() }
    let result = try await project.run(["greet"])
    #expect(result.status == 2, "\(result)")
    #expect(
      result.stderr.hasPrefix(
        "error: variables in `vars:` of task `greet` refer to each other in a cycle: `A` → `B` → `A`\n"), "\(result)")
    #expect(result.stdout.isEmpty)
  }
}
