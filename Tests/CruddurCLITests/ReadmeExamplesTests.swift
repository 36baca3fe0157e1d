import CruddurTestSupport
import Foundation
import Testing

/// README.md's examples of the commands that need no server (`list`, `help TASK`), read from
/// README.md when the test runs and run against this repository's own project: the text
/// shown must be what cruddur prints. (The examples that need a server are not run here yet.)
@Suite struct ReadmeExamplesTests {
  /// Each fenced block starting with `$ cruddur WORDS`: the words and the lines after them.
  static func examples(in text: String, commands: Set<String>) -> [(arguments: [String], output: String)] {
    var found: [(arguments: [String], output: String)] = []
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var index = 0
    while index < lines.count {
      defer { index += 1 }
      guard lines[index] == "```", index + 1 < lines.count, lines[index + 1].hasPrefix("$ cruddur ") else { continue }
      let arguments = lines[index + 1].dropFirst("$ cruddur ".count).split(separator: " ").map(String.init)
      var output: [String] = []
      var next = index + 2
      while next < lines.count, lines[next] != "```", !lines[next].hasPrefix("$ ") {
        output.append(lines[next])
        next += 1
      }
      // One command per block only: a block that goes on with another command is a session.
      guard next < lines.count, lines[next] == "```", let first = arguments.first, commands.contains(first) else {
        continue
      }
      found.append((arguments, output.joined(separator: "\n") + "\n"))
    }
    return found
  }

  @Test("list and help examples in README.md print what cruddur prints")
  func offline() async throws {
    let readme = try String(contentsOfFile: RepositoryFiles.root + "/README.md", encoding: .utf8)
    let examples = Self.examples(in: readme, commands: ["list", "help"])
    #expect(examples.count >= 2, "README.md has its list and help examples")
    let project = try TypedWordsTests.project()
    defer { project.remove() }
    for example in examples {
      let result = try await project.run(example.arguments, environment: TypedWordsTests.environment)
      #expect(result.status == 0, "\(example.arguments): \(result)")
      #expect(result.stdout == example.output, "README.md's `cruddur \(example.arguments.joined(separator: " "))` differs:\n\(result.stdout)")
    }
  }
}
