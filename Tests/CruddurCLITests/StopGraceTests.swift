import CruddurTestSupport
import Foundation
import Testing

@testable import cruddur

/// `CRUDDUR_STOP_GRACE`: the seconds a stopped shell step's group has between SIGTERM and
/// SIGKILL. The second-signal tests (CancelShellTests, Adversarial signals) set it far
/// beyond their own limit, so only the second signal can end their runs.
@Suite struct StopGraceTests {
  @Test("unset or empty is 3 s; seconds with fractions are taken as written")
  func values() throws {
    #expect(try StopGrace.parse(nil).get() == .seconds(3))
    #expect(try StopGrace.parse("").get() == .seconds(3))
    #expect(try StopGrace.parse("0").get() == .zero)
    #expect(try StopGrace.parse("0.5").get() == .milliseconds(500))
    #expect(try StopGrace.parse("3600").get() == .seconds(3600))
  }

  @Test("a value that is not seconds from 0 to 86400 is refused, not replaced by the default")
  func badValues() {
    for bad in ["soon", "-1", "86401", "nan", "inf", "3s", " 3"] {
      #expect(throws: StopGraceError.self, "\(bad)") { try StopGrace.parse(bad).get() }
    }
  }

  @Test("the binary refuses a bad value with exit 2 before running anything")
  func binaryRefuses() async throws {
    let project = try shellProject("tasks:\n  hello: { shell: 'echo ran > ran.txt' }\n")
    defer { project.remove() }
    try await project.expect(
      ["hello"], environment: ["CRUDDUR_STOP_GRACE": "soon"],
      stderr: "error: CRUDDUR_STOP_GRACE=soon is not a number of seconds from 0 to 86400 (e.g. 3 or 0.5)\n",
      status: 2)
    #expect(!FileManager.default.fileExists(atPath: project.path + "/ran.txt"))
  }
}
