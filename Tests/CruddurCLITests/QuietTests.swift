import CruddurTestSupport
import Testing

/// `-q`: errors, the summary, requested rows, and the output of the step that failed.
@Suite struct QuietTests {
  @Test("-q hides a passing step's output and shows the failing step's, before its error")
  func failingStepOutput() async throws {
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local: { url: "postgresql://postgres:pw@127.0.0.1:1/app" }
      tasks:
        ok: { shell: echo all fine }
        bad: { deps: [ok], shell: 'echo "connecting to the bucket"; echo "no such bucket" >&2; exit 3' }
      """
    ])
    defer { project.remove() }
    let result = try await project.run(["bad", "-q"])
    #expect(result.status == 1, "\(result)")
    #expect(!result.output.contains("all fine"), "\(result)")
    #expect(result.stdout.hasPrefix("✗ run failed after "), "\(result)")
    let lines = result.stderr.split(separator: "\n").map(String.init)
    #expect(lines.first == "no such bucket", "stderr is never held: \(result)")
    #expect(lines.dropFirst().first == "connecting to the bucket", "\(result)")
    #expect(lines.dropFirst(2).first?.hasPrefix("== bad failed after ") == true, "\(result)")
    #expect(lines.dropFirst(2).first?.hasSuffix(", exit status 3") == true, "\(result)")
  }
}
