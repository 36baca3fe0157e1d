import CruddurTestSupport
import Testing

/// `list`, `validate` and `plan` skip argument-parser for plain invocations; what they print
/// and how they exit must be exactly what the argument-parser path gives.
@Suite struct FastPathTests {
  static let files = [
    "cruddur.yml": """
    version: 1
    environments:
      local: { default: true, url: "postgresql://postgres:pw@127.0.0.1:1/app" }
      prod: { url: "${PROD_URL:?set PROD_URL}" }
    tasks:
      a: { description: first, query: select 1 }
      b: { description: second, deps: [a], shell: echo b }
    """
  ]

  @Test(
    "the fast path and argument-parser agree",
    arguments: [
      ["list"], ["list", "--format", "json"], ["validate"], ["validate", "-q"], ["plan", "b"],
      ["plan", "b", "--format", "json"], ["plan", "b", "-e", "prod"], ["plan", "a", "--set", "X=1", "-e", "local"],
      ["plan", "nope"], ["list", "--format", "yaml"], ["plan"], ["list", "--no-color"], ["validate", "-f", "cruddur.yml"],
    ])
  func parity(_ arguments: [String]) async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    let fast = try await project.run(arguments)
    let slow = try await project.run(arguments, environment: ["CRUDDUR_NO_FAST_PATH": "1"])
    #expect(fast.status == slow.status, "\(arguments)\n\(fast)\n\(slow)")
    #expect(fast.stdout == slow.stdout)
    #expect(fast.stderr == slow.stderr)
  }
}
