import CruddurCommandLine
import CruddurTestSupport
import Foundation
import Testing

/// Help fits an 80-column terminal and wraps at words: examples are short enough not to
/// wrap (a wrapped example continues at column 0), prose is written as whole paragraphs
/// for the help renderer to wrap.
@Suite struct HelpTextTests {
  static let commands: [(name: String, discussion: String)] =
    [("", Grammar.cruddur.discussion)] + Grammar.cruddur.commands.map { ($0.name, $0.discussion) }

  @Test("every command's help: lines fit 80 columns, examples intact, prose in whole paragraphs")
  func wrapping() async throws {
    let project = try TemporaryProject(files: [:])
    defer { project.remove() }
    for (name, discussion) in Self.commands {
      let arguments = (name.isEmpty ? [] : [name]) + ["--help"]
      let help = try await project.run(arguments, environment: ["COLUMNS": "80"])
      #expect(help.status == 0, "\(arguments): \(help)")
      let lines = help.stdout.components(separatedBy: "\n")
      let beforeUsage = lines.prefix { !$0.hasPrefix("USAGE:") }
      for line in beforeUsage { #expect(line.count <= 80, "\(arguments): \(line)") }
      for source in discussion.components(separatedBy: "\n") where !source.isEmpty {
        if source.hasPrefix(" ") {
          #expect(lines.contains(source), "\(arguments): example wrapped: \(source)")
        } else {
          #expect(source.hasSuffix(".") || source.hasSuffix(":"), "\(arguments): a paragraph broken mid-sentence: \(source)")
        }
      }
    }
  }

  @Test("connect --help is connect's help, not psql's (and starts nothing)")
  func connectHelp() async throws {
    let project = try TemporaryProject(files: [:])
    defer { project.remove() }
    let help = try await project.run(["connect", "--help"])
    #expect(help.status == 0, "\(help)")
    #expect(help.stdout.hasPrefix("OVERVIEW: Open psql on an environment's database"))
  }
}
