import CruddurCommandLine
import CruddurCore
import CruddurOutput
import CruddurPostgres
import Foundation

@main
struct Cruddur {
  static let grammar = Grammar.cruddur

  /// The one funnel from error to message and exit status.
  static func main() async {
    // A bare `cruddur` lists the tasks, as `just` and `task` answer a bare call with what
    // there is to run, rather than an error about a missing word.
    let typed = Array(CommandLine.arguments.dropFirst())
    let arguments = typed.isEmpty ? ["list"] : typed
    var command: String?
    do {
      let request = try CommandLineParser(grammar: grammar).parse(arguments)
      switch request {
      case .version:
        OutputStream.standardOutput.write(grammar.version + "\n")
      case .completionScript(let shell):
        guard let script = CompletionScripts.script(for: shell, program: grammar.program) else {
          throw UsageError(
            "no completion script for `\(shell)`", hint: "one of \(CompletionScripts.shells.joined(separator: ", "))",
            command: nil)
        }
        OutputStream.standardOutput.write(script)
      case .complete(let shell, let words):
        OutputStream.standardOutput.write(ProjectCompletion.answer(shell: shell, words: words))
      case .help(let name, let task, let isExplicit, let options):
        if let task {
          let help = TaskHelp(
            task: task, file: options.value("file"), environment: options.value("env"), isExplicit: isExplicit)
          if try help.run() { return }
        }
        let renderer = HelpRenderer(grammar: grammar)
        OutputStream.standardOutput.write(name.map(renderer.page) ?? renderer.programPage())
      case .command(let parsed):
        command = parsed.command
        _ = try StopGrace.checked()
        if Self.mayConnect(parsed.command) { LibPQPreload.start() }
        try await CommandDispatch.command(parsed).run()
      }
    } catch let error as ProjectConfigError {
      if wantsJSON { reportJSON(error, diagnostics: error.diagnostics, status: error.exitStatus.rawValue) }
      report(error.diagnostics, sources: error.project.sources)
      Foundation.exit(error.exitStatus.rawValue)
    } catch let error as any CruddurError {
      if wantsJSON { reportJSON(error, diagnostics: error.diagnostics, status: error.exitStatus.rawValue) }
      report(error.diagnostics, sources: SourceProvider())
      Foundation.exit(error.exitStatus.rawValue)
    } catch let exit as ExitCode {
      // A bare exit status: the command has said what it had to say already.
      Foundation.exit(exit.rawValue)
    } catch {
      // A usage error says 2 (cruddur's "usage or configuration error"); anything else
      // that reached here is an unexpected failure, 1.
      let isUsage = error is UsageError || error is ValidationError
      let usage =
        (error as? UsageError)
        ?? UsageError((error as? ValidationError)?.message ?? "\(error)", command: isUsage ? command : nil)
      let status = isUsage ? ExitStatus.configError.rawValue : 1
      if wantsJSON {
        OutputStream.standardOutput.write(
          JSONErrorRenderer.line(
            kind: "usage",
            diagnostics: [Diagnostic(.error, Redaction.redact(usage.message), help: usage.hint.map(Redaction.redact))],
            exitCode: status))
        Foundation.exit(status)
      }
      OutputStream.standardError.write(Redaction.redact(usage.rendered(grammar)))
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

  /// Whether the command may connect (a run, `apply`, `connect`, `local`): those load libpq
  /// in the background from the start. The others never touch it.
  static func mayConnect(_ command: String) -> Bool {
    !["list", "validate", "plan", "graph", "envs", "init", "new"].contains(command)
  }

  static func report(_ diagnostics: [Diagnostic], sources: SourceProvider) {
    let terminal = Terminal(
      fileDescriptor: 2, noColorFlag: CommandLine.arguments.contains("--no-color"),
      environment: ProcessInfo.processInfo.environment)
    OutputStream.standardError.write(DiagnosticRenderer(sources: sources, terminal: terminal).render(diagnostics))
  }
}

enum CruddurVersion {
  static var current: String { Grammar.cruddur.version }
}
