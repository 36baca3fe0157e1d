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
    // stderr is never held: "no such bucket" comes as it is written, the held stdout line
    // only once the step has failed.
    try await project.expect(["bad", "-q"], stdout: """
      ✗ run failed after <duration>: 1 done; failed: bad

      """, stderr: """
      no such bucket
      connecting to the bucket
      == bad failed after <duration>, exit status 3
      error: the command exited with status 3

      """, status: 1, normalizing: [.durations])
  }
}
