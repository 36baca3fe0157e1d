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
      ["b", "--bogus"], ["b", "--", "a"], ["fail"], ["a", "-qv"], ["b", "--format=json"], ["b", "--wait"],
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

  /// Every option argument-parser declares for `run`, read from its own dump, so an option
  /// added to RunCommand and not to FastRun (which would leave it unset) fails here.
  @Test("every option argument-parser declares for run gives the same result on both paths")
  func everyDeclaredOption() async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    let dump = try await project.run(["--experimental-dump-help"])
    let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
    let command = try #require(root["command"] as? [String: Any])
    let subcommands = try #require(command["subcommands"] as? [[String: Any]])
    let run = try #require(subcommands.first { $0["commandName"] as? String == "run" })
    let samples = ["file": "cruddur.yml", "format": "json", "env": "local", "set": "X=1", "j": "2"]
    var checked = 0
    for argument in run["arguments"] as? [[String: Any]] ?? [] where argument["kind"] as? String != "positional" {
      let names = (argument["names"] as? [[String: Any]] ?? []).compactMap { entry -> String? in
        guard let n = entry["name"] as? String, let kind = entry["kind"] as? String else { return nil }
        return kind == "short" ? "-" + n : "--" + n
      }
      let long = names.first { $0.hasPrefix("--") }?.dropFirst(2).description ?? names.first?.dropFirst().description ?? ""
      if long == "help" || long == "version" { continue }
      for spelling in names {
        var arguments = ["b", spelling]
        if argument["kind"] as? String == "option" { arguments.append(samples[long] ?? "x") }
        let fast = try await project.run(arguments + ["-j", "1"])
        let slow = try await project.run(arguments + ["-j", "1"], environment: ["CRUDDUR_NO_FAST_PATH": "1"])
        #expect(fast.status == slow.status, "\(arguments)\n\(fast)\n\(slow)")
        #expect(Self.steady(fast.stdout) == Self.steady(slow.stdout), "\(arguments)")
        #expect(Self.steady(fast.stderr) == Self.steady(slow.stderr), "\(arguments)")
        checked += 1
      }
    }
    #expect(checked >= 14, "options found in the dump: \(checked)")
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
