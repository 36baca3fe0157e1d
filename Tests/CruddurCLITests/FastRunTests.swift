import CruddurTestSupport
import Foundation
import Testing

/// `cruddur TASK...` skips argument-parser for plain invocations; what a run prints and how
/// it exits must be what the argument-parser path gives (durations and time stamps aside).
@Suite struct FastRunTests {
  static let files = [
    "cruddur.yml": """
    version: 1
    environments:
      local: { default: true, url: "postgresql://postgres:pw@127.0.0.1:1/app" }
      prod: { url: "${PROD_URL:?set PROD_URL}" }
    tasks:
      a: { description: first, shell: echo a }
      b: { description: second, deps: [a], shell: echo "b $X" }
      greet: { params: [name], shell: echo "hello $name" }
      fail: { shell: exit 3 }
    """
  ]

  @Test(
    "the fast run path and argument-parser agree",
    arguments: [
      ["b"], ["run", "b"], ["b", "-q"], ["b", "--quiet"], ["b", "-v"], ["b", "--format", "json"],
      ["b", "--format", "csv"], ["b", "--format", "yaml"], ["b", "-n"], ["b", "--dry-run", "--format", "json"],
      ["b", "-n", "--format", "csv"], ["b", "-j", "2"], ["b", "-j", "0"], ["b", "-j"], ["b", "-j", "x"], ["nope"],
      ["b", "extra"], ["greet", "Ann"], ["greet"], ["greet", "Ann", "b", "-j", "1"], ["-e", "prod", "b"], ["b", "-e", "local"],
      ["b", "--set", "X=1"], ["b", "--set"], ["b", "-y"], ["b", "--yes"], ["b", "-f", "cruddur.yml"], ["b", "--no-color"],
      ["b", "--bogus"], ["b", "--", "a"], ["fail"], ["a", "-qv"], ["b", "--format=json"],
    ])
  func parity(_ arguments: [String]) async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    let fast = try await project.run(arguments)
    let slow = try await project.run(arguments, environment: ["CRUDDUR_NO_FAST_PATH": "1"])
    #expect(fast.status == slow.status, "\(arguments)\n\(fast)\n\(slow)")
    #expect(Self.steady(fast.stdout) == Self.steady(slow.stdout), "\(arguments)")
    #expect(Self.steady(fast.stderr) == Self.steady(slow.stderr), "\(arguments)")
  }

  /// Output with what changes from one run to the next (durations, time stamps) blanked.
  static func steady(_ text: String) -> String {
    var text = text
    for (pattern, replacement) in [
      (#"\d+(\.\d+)? (ms|s)\b"#, "T"), (#""time":"[^"]*""#, #""time":"T""#), (#""duration_ms":\d+"#, #""duration_ms":0"#),
    ] {
      text = text.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
    }
    return text
  }
}
