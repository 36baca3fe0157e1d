import CruddurTestSupport
import Foundation
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

  /// Every option argument-parser declares for the three commands, read from its own
  /// dump, so an option added later that the fast path reads differently fails here.
  @Test("every option argument-parser declares for list, validate and plan gives the same result on both paths")
  func everyDeclaredOption() async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    let dump = try await project.run(["--experimental-dump-help"])
    let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
    let command = try #require(root["command"] as? [String: Any])
    let subcommands = try #require(command["subcommands"] as? [[String: Any]])
    let samples = ["file": "cruddur.yml", "format": "json", "env": "local", "set": "X=1"]
    var checked = 0
    for subcommand in subcommands {
      guard let name = subcommand["commandName"] as? String, ["list", "validate", "plan"].contains(name) else { continue }
      for argument in subcommand["arguments"] as? [[String: Any]] ?? [] where argument["kind"] as? String != "positional" {
        let names = (argument["names"] as? [[String: Any]] ?? []).compactMap { entry -> String? in
          guard let n = entry["name"] as? String, let kind = entry["kind"] as? String else { return nil }
          return kind == "short" ? "-" + n : "--" + n
        }
        let long = names.first { $0.hasPrefix("--") }?.dropFirst(2).description ?? ""
        if long == "help" || long == "version" { continue }
        for spelling in names {
          var arguments = [name] + (name == "plan" ? ["b"] : [])
          arguments.append(spelling)
          if argument["kind"] as? String == "option" { arguments.append(samples[long] ?? "x") }
          let fast = try await project.run(arguments)
          let slow = try await project.run(arguments, environment: ["CRUDDUR_NO_FAST_PATH": "1"])
          #expect(fast.status == slow.status, "\(arguments)\n\(fast)\n\(slow)")
          #expect(fast.stdout == slow.stdout, "\(arguments)")
          // A saved plan's file holds the second it was made, so its SHA-256 differs between two runs.
          #expect(Self.withoutFileDigest(fast.stderr) == Self.withoutFileDigest(slow.stderr), "\(arguments)")
          checked += 1
        }
      }
    }
    #expect(checked >= 15, "options found in the dump: \(checked)")
  }

  /// "saved to x (sha256 5e450a707f6a…)" with the digest left out.
  static func withoutFileDigest(_ text: String) -> String {
    text.replacingOccurrences(of: #"\(sha256 [0-9a-f]{12}…\)"#, with: "(sha256 …)", options: .regularExpression)
  }
}
