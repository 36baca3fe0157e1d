import CruddurCommandLine
import CruddurCore
import CruddurOutput
import CruddurTestSupport
import Foundation
import Testing

@testable import cruddur

/// main's one funnel, in-process: what a command threw → what is shown and the status main
/// exits with (the table in `CommandEnding`'s doc comment), text and JSON, compared whole.
/// The binary's own suites (JSONErrorTests, ConfigErrorTests, StopTests…) check the same
/// endings through a real process; these pin the precedence without one.
@Suite struct CommandEndingTests {
  static let plain = Terminal(useColor: false, isInteractive: false)

  static func ending(_ error: any Error, command: String? = "run", json: Bool = false)
    -> CommandEnding
  {
    CommandEnding(error: error, command: command, json: json, terminal: plain)
  }

  /// A project whose task has an unknown key, and the error loading it throws.
  static func badProject() throws -> (TemporaryProject, ProjectConfigError) {
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local: { default: true, url: "postgres://u@127.0.0.1:1/db" }
      tasks:
        hello: { shel: "echo hi" }

      """
    ])
    do {
      _ = try ProjectOptions(file: project.path + "/cruddur.yml", noColor: true).loadProject()
    } catch let error as ProjectConfigError {
      return (project, error)
    }
    project.remove()
    throw TestFailure("the project loaded")
  }

  struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
  }

  /// An error no row names: not a CruddurError, not a usage error.
  struct Unexpected: Error, CustomStringConvertible {
    var description: String { "the disk went away" }
  }

  // MARK: the rows, in order

  @Test("row 1: interrupted outside a session is 130 and shows nothing, in text or JSON")
  func interrupted() {
    #expect(Self.ending(CommandInterrupted()) == CommandEnding(CommandStatus(.interrupted)))
    #expect(
      Self.ending(CommandInterrupted(), json: true) == CommandEnding(CommandStatus(.interrupted)))
  }

  @Test("row 2: a project's config error shows the offending line, 2; as JSON its kind and place")
  func projectConfigError() throws {
    let (project, error) = try Self.badProject()
    defer { project.remove() }
    let text = Self.ending(error)
    #expect(text.status == 2)
    #expect(text.standardOutput == "")
    #expect(text.standardError.hasPrefix("error: unknown key `shel` in task `hello`\n"))
    #expect(text.standardError.contains("5 |   hello: { shel: \"echo hi\" }\n"))
    let json = Self.ending(error, json: true)
    #expect(json.status == 2)
    #expect(json.standardError == "")
    #expect(json.standardOutput.hasPrefix("{"))
    #expect(json.standardOutput.contains(#""error_kind":"unknownKey""#))
    #expect(json.standardOutput.contains(#""exit_code":2"#))
    #expect(json.standardOutput.contains(#""line":5"#))
  }

  @Test("row 2 before row 3: the same diagnostics without the project show no source line")
  func projectRowComesFirst() throws {
    let (project, error) = try Self.badProject()
    defer { project.remove() }
    let withProject = Self.ending(error)
    let bare = Self.ending(ConfigError(error.diagnostics))
    #expect(withProject.status == bare.status)
    #expect(withProject.standardError.contains("| "))
    #expect(!bare.standardError.contains("| "))
  }

  @Test("row 3: a run error shows its message and ends with its own status; JSON names its kind")
  func runError() {
    let error = RunError(.consentNotConfirmed(environment: "prod"))
    let text = Self.ending(error)
    #expect(
      text
        == CommandEnding.expected(
          status: 3,
          standardError: DiagnosticRenderer(sources: SourceProvider(), terminal: Self.plain)
            .render(error.diagnostics)))
    #expect(text.standardError.hasPrefix("error: "))
    let json = Self.ending(error, json: true)
    #expect(
      json
        == CommandEnding.expected(
          status: 3,
          standardOutput: JSONErrorRenderer.line(
            kind: error.kind.code, diagnostics: error.diagnostics, exitCode: 3)))
  }

  @Test("row 3: a CruddurError with no kind is named by its type in JSON (CRUDDUR_STOP_GRACE's, 2)")
  func errorWithoutKind() throws {
    guard case .failure(let error) = StopGrace.parse("soon") else {
      throw TestFailure("`soon` was taken for seconds")
    }
    #expect(
      Self.ending(error)
        == CommandEnding.expected(
          status: 2,
          standardError:
            "error: CRUDDUR_STOP_GRACE=soon is not a number of seconds from 0 to 86400 (e.g. 3 or 0.5)\n"
        ))
    let json = Self.ending(error, json: true)
    #expect(json.status == 2)
    #expect(json.standardOutput.contains(#""error_kind":"StopGraceError""#))
  }

  @Test("row 4: a usage error shows the message, hint and the command's usage, 2")
  func usageError() {
    let ending = Self.ending(
      UsageError("unknown option `--bogus`", hint: "try --help", command: "run"))
    #expect(
      ending
        == CommandEnding.expected(
          status: 2,
          standardError: """
            error: unknown option `--bogus`
             = help: try --help
            Usage: \(HelpRenderer(grammar: Cruddur.grammar).usage("run"))
              See 'cruddur run --help' for more information.

            """))
  }

  @Test("row 4: a command's own check (ValidationError) is a usage error of that command, 2")
  func validationError() {
    let ending = Self.ending(ValidationError("-j must be at least 1"), command: "run")
    #expect(ending.status == 2)
    #expect(ending.standardError.hasPrefix("error: -j must be at least 1\nUsage: "))
    let json = Self.ending(ValidationError("-j must be at least 1"), json: true)
    #expect(
      json
        == CommandEnding.expected(
          status: 2,
          standardOutput: JSONErrorRenderer.line(
            kind: "usage", diagnostics: [Diagnostic(.error, "-j must be at least 1")], exitCode: 2))
    )
  }

  @Test("row 5: anything else is 1, shown as it describes itself, without a usage")
  func unexpected() {
    #expect(
      Self.ending(Unexpected(), command: "run")
        == CommandEnding.expected(status: 1, standardError: "error: the disk went away\n"))
    // Swift's own cancellation is no signal: it is not row 1.
    #expect(Self.ending(CancellationError()).status == 1)
  }

  @Test("a secret in an unexpected error's text is masked, in text and JSON")
  func unexpectedIsRedacted() {
    struct Leaky: Error, CustomStringConvertible {
      var description: String { "cannot reach postgres://app:Hunter2-secret@db/x" }
    }
    let text = Self.ending(Leaky())
    let json = Self.ending(Leaky(), json: true)
    #expect(text.status == 1)
    #expect(json.status == 1)
    #expect(!text.standardError.contains("Hunter2-secret"))
    #expect(!json.standardOutput.contains("Hunter2-secret"))
    #expect(text.standardError.hasPrefix("error: cannot reach postgres://app:"))
  }

  // MARK: a command's status

  @Test("a status a command returns is exited with as is, nothing shown (local status's 4 too)")
  func returnedStatus() {
    for raw: Int32 in [0, 1, 3, 4, 130] {
      let ending = CommandEnding(CommandStatus(rawValue: raw))
      #expect(ending == CommandEnding.expected(status: raw))
    }
  }

  // MARK: main's run, in-process

  @Test("main's run on a command line the parser refuses ends 2 and writes nothing itself")
  func mainParserError() async {
    let ending = await Cruddur.run(["--no-such-option"])
    #expect(ending.status == 2)
    #expect(ending.standardError.hasPrefix("error: unknown option `--no-such-option`"))
    #expect(ending.standardOutput == "")
  }

  @Test("main's run of a command on a broken project ends with the funnel's ending for it")
  func mainCommandError() async throws {
    let (project, error) = try Self.badProject()
    defer { project.remove() }
    let ending = await Cruddur.run(["list", "-f", project.path + "/cruddur.yml", "--no-color"])
    #expect(ending == Self.ending(error, command: "list"))
    let json = await Cruddur.run(["list", "-f", project.path + "/cruddur.yml", "--format", "json"])
    #expect(json.status == 2)
    #expect(json.standardOutput.contains(#""error_kind":"unknownKey""#))
  }
}

extension CommandEnding {
  /// A whole ending, for comparing.
  static func expected(status: Int32, standardOutput: String = "", standardError: String = "")
    -> CommandEnding
  {
    var ending = CommandEnding(CommandStatus(rawValue: status))
    ending.standardOutput = standardOutput
    ending.standardError = standardError
    return ending
  }
}
