import CruddurCommandLine
import CruddurCore
import CruddurOutput

/// How the command line ends: the text still to show and the status to exit with. `main`
/// computes one, from the status a command returned or from what it threw, writes it and
/// exits once; nothing else in the binary ends the process (but the prompt's SIGINT
/// handler, `TerminalPrompt.interruptedBySignal`, which cannot return to main, and
/// `connect`, which hands the process to psql; `OnlyMainExitsTests` lists them).
///
/// What was thrown decides, the first row that holds:
///
///     | # | thrown                          | shown (text on stderr; with --format json, | status             |
///     |   |                                 | one JSON object on stdout instead)         |                    |
///     |---|---------------------------------|--------------------------------------------|--------------------|
///     | 1 | CommandInterrupted              | nothing (what ran has said it stopped)     | 130 interrupted    |
///     | 2 | ProjectConfigError              | its diagnostics, with the project's lines  | its own (2)        |
///     | 3 | any other CruddurError          | its diagnostics (RunError: its kind)       | its own            |
///     | 4 | UsageError, ValidationError     | the message, hint and command's usage      | 2 usage            |
///     | 5 | anything else                   | "error: " and the error                    | 1                  |
///
/// A session's outcome reaches here as a status (`SessionOutcome.exitStatus()`) or as the
/// error it carries, whose status is the outcome's by construction.
struct CommandEnding: Equatable {
  var status: Int32
  var standardOutput = ""
  var standardError = ""

  init(_ status: CommandStatus) { self.status = status.rawValue }

  private init(status: Int32) { self.status = status }

  /// The ending for `error`, thrown by the parser (`command` nil) or by `command`; `json`
  /// when the command line asks for JSON; `terminal` is stderr's (colour for diagnostics).
  init(error: any Error, command: String?, json: Bool, terminal: Terminal) {
    switch error {
    case let interrupted as CommandInterrupted:
      status = interrupted.exitStatus.rawValue
    case let error as ProjectConfigError:
      self = .rendering(error, sources: error.project.sources, json: json, terminal: terminal)
    case let error as any CruddurError:
      self = .rendering(error, sources: SourceProvider(), json: json, terminal: terminal)
    default:
      // A usage error says 2 (cruddur's "usage or configuration error"); anything else
      // that reached here is an unexpected failure, 1.
      let isUsage = error is UsageError || error is ValidationError
      let usage =
        (error as? UsageError)
        ?? UsageError(
          (error as? ValidationError)?.message ?? "\(error)", command: isUsage ? command : nil)
      status = isUsage ? ExitStatus.configError.rawValue : ExitStatus.stepFailed.rawValue
      if json {
        standardOutput = JSONErrorRenderer.line(
          kind: "usage",
          diagnostics: [
            Diagnostic(
              .error, Redaction.redact(usage.message), help: usage.hint.map(Redaction.redact))
          ],
          exitCode: status)
      } else {
        standardError = Redaction.redact(usage.rendered(Cruddur.grammar))
      }
    }
  }

  /// A `CruddurError`: its diagnostics, rendered with `sources`, or one JSON object.
  private static func rendering(
    _ error: any CruddurError, sources: SourceProvider, json: Bool, terminal: Terminal
  ) -> CommandEnding {
    var ending = CommandEnding(status: error.exitStatus.rawValue)
    let diagnostics = error.diagnostics
    guard json else {
      ending.standardError = DiagnosticRenderer(sources: sources, terminal: terminal).render(
        diagnostics)
      return ending
    }
    let kind: String
    if let run = error as? RunError {
      kind = run.kind.code
    } else if let configKind = diagnostics.first(where: { $0.severity == .error })?.errorKind {
      kind = configKind.code
    } else {
      kind = String(describing: type(of: error))
    }
    ending.standardOutput = JSONErrorRenderer.line(
      kind: kind, diagnostics: diagnostics, exitCode: ending.status)
    return ending
  }

  /// Shows what is left to show: stdout first, then stderr (only one has text).
  func write() {
    if !standardOutput.isEmpty { OutputStream.standardOutput.write(standardOutput) }
    if !standardError.isEmpty { OutputStream.standardError.write(standardError) }
  }
}
