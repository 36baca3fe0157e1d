import ArgumentParser
import CruddurCore
import CruddurOutput
import CruddurPostgres
import Foundation

@main
struct Cruddur: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cruddur",
    abstract: "Declared, checked, repeatable tasks for Postgres environments.",
    discussion: """
      Examples:
        cruddur db:setup                drop, create, load schema and seed
        cruddur plan db:setup -e prod   show what would run, without connecting
        cruddur list                    the tasks in cruddur.yml and tasks/
        cruddur help db:setup           one task: parameters, steps, where declared
      """,
    version: CruddurVersion.current,
    subcommands: [
      RunCommand.self, PlanCommand.self, ApplyCommand.self, ListCommand.self, ValidateCommand.self, EnvsCommand.self,
      LocalCommand.self, GraphCommand.self, InitCommand.self, NewCommand.self,
      ConnectCommand.self, RunsCommand.self, StampCommand.self,
    ],
    defaultSubcommand: RunCommand.self
  )

  /// The one funnel from error to message and exit status.
  static func main() async {
    do {
      // A bare `cruddur` lists the tasks, as `just` and `task` answer a bare call with what
      // there is to run, rather than an error about a missing word.
      let typed = Array(CommandLine.arguments.dropFirst())
      let arguments = typed.isEmpty ? ["list"] : typed
      if getenv("CRUDDUR_NO_FAST_PATH") == nil, let answer = ProjectCompletion.answer(arguments) {
        // As argument-parser prints it: nothing at all for no completion.
        if !answer.isEmpty { OutputStream.standardOutput.write(answer + "\n") }
        return
      }
      if let shell = CompletionScript.requestedShell(arguments) {
        OutputStream.standardOutput.write(CompletionScript.generate(shell) + "\n")
        return
      }
      if let help = TaskHelp.request(for: arguments), try help.run() { return }
      _ = try StopGrace.checked()
      if Self.mayConnect(arguments.first) { LibPQPreload.start() }
      if let fast = FastPath.command(for: arguments) {
        try await fast.run()
        return
      }
      if let run = FastRun.command(for: arguments) {
        try await run.run()
        return
      }
      var command = try parseAsRoot(arguments)
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch let error as ProjectConfigError {
      if wantsJSON { reportJSON(error, diagnostics: error.diagnostics, status: error.exitStatus.rawValue) }
      report(error.diagnostics, sources: error.project.sources)
      Foundation.exit(error.exitStatus.rawValue)
    } catch let error as any CruddurError {
      if wantsJSON { reportJSON(error, diagnostics: error.diagnostics, status: error.exitStatus.rawValue) }
      report(error.diagnostics, sources: SourceProvider())
      Foundation.exit(error.exitStatus.rawValue)
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        exit(withError: error)
      }
      // argument-parser says 64 for usage errors; cruddur promises 2.
      let status = code == .validationFailure ? ExitStatus.configError.rawValue : code.rawValue
      let message = usageMessage(fullMessage(for: error))
      // A bare `ExitCode` has said what it had to say already.
      if wantsJSON, !message.isEmpty {
        OutputStream.standardOutput.write(
          JSONErrorRenderer.line(kind: "usage", diagnostics: [usageDiagnostic(message)], exitCode: status))
        Foundation.exit(status)
      }
      if !message.isEmpty { OutputStream.standardError.write(Redaction.redact(message) + "\n") }
      Foundation.exit(status)
    }
  }

  /// Whether the command line asks for JSON: then an error is one JSON object on stdout
  /// instead of text on stderr, whichever command and however early it failed.
  static var wantsJSON: Bool {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.contains("--format=json") { return true }
    guard let index = arguments.firstIndex(of: "--format"), index + 1 < arguments.count else { return false }
    return arguments[index + 1] == "json"
  }

  /// Writes `error` as one JSON object on stdout and exits with `status`.
  static func reportJSON(_ error: any Error, diagnostics: [Diagnostic], status: Int32) -> Never {
    let kind: String
    if let run = error as? RunError {
      kind = run.kind.code
    } else if let configKind = diagnostics.first(where: { $0.severity == .error })?.errorKind {
      kind = configKind.code
    } else {
      kind = String(describing: type(of: error))
    }
    OutputStream.standardOutput.write(JSONErrorRenderer.line(kind: kind, diagnostics: diagnostics, exitCode: status))
    Foundation.exit(status)
  }

  /// A usage message ("error: ...\n = help: ...") back as a diagnostic.
  static func usageDiagnostic(_ message: String) -> Diagnostic {
    let lines = message.split(separator: "\n").map(String.init)
    let first = lines.first ?? message
    let text = first.hasPrefix("error: ") ? String(first.dropFirst("error: ".count)) : first
    let help = lines.first { $0.hasPrefix(" = help: ") }.map { String($0.dropFirst(" = help: ".count)) }
    return Diagnostic(.error, Redaction.redact(text), help: help.map(Redaction.redact))
  }

  /// Whether the command may connect (a run, `apply`, `connect`, `local`): those load libpq
  /// in the background from the start. The others never touch it.
  static func mayConnect(_ first: String?) -> Bool {
    guard let first else { return false }
    return !["list", "validate", "plan", "graph", "envs", "init", "new", "help", "--help", "-h", "--version"]
      .contains(first)
  }

  /// argument-parser's "Error: Unknown option '--frmat'. Did you mean '--format'?" in
  /// cruddur's own shape: "error: unknown option `--frmat`" with the suggestion as help.
  static func usageMessage(_ message: String) -> String {
    guard message.hasPrefix("Error: ") else { return message }
    var lines = message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var first = String(lines[0].dropFirst("Error: ".count))
    var help: String?
    if let range = first.range(of: " Did you mean ") {
      help = "did you mean " + first[range.upperBound...].replacingOccurrences(of: "'", with: "`")
      first = String(first[..<range.lowerBound])
    }
    first = first.replacingOccurrences(of: "'", with: "`")
    if first.hasSuffix("."), !first.hasSuffix("..") { first.removeLast() }
    first = first.prefix(1).lowercased() + first.dropFirst()
    lines[0] = "error: " + first + (help.map { "\n = help: \($0)" } ?? "")
    return lines.joined(separator: "\n")
  }

  static func report(_ diagnostics: [Diagnostic], sources: SourceProvider) {
    let terminal = Terminal(
      fileDescriptor: 2, noColorFlag: CommandLine.arguments.contains("--no-color"),
      environment: ProcessInfo.processInfo.environment)
    OutputStream.standardError.write(DiagnosticRenderer(sources: sources, terminal: terminal).render(diagnostics))
  }
}

enum CruddurVersion {
  static let current = "0.1.0"
}
