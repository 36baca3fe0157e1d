import CruddurCommandLine
import CruddurCore
import CruddurOutput
import CruddurPostgres
import Foundation

@main
struct Cruddur {
  static let grammar = Grammar.cruddur

  /// The one way out of the process: the command line runs to an ending (a command's
  /// status, or what it threw rendered by `CommandEnding`'s funnel), which is shown, and the
  /// process exits with its status, here and nowhere else.
  static func main() async {
    let ending = await run(Array(CommandLine.arguments.dropFirst()))
    ending.write()
    Foundation.exit(ending.status)
  }

  /// Runs the command line `typed` (the arguments after the program's name) to its ending;
  /// never exits.
  static func run(_ typed: [String]) async -> CommandEnding {
    // A bare `cruddur` lists the tasks, as `just` and `task` answer a bare call with what
    // there is to run, rather than an error about a missing word.
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
          if try help.run() { return CommandEnding(.ok) }
        }
        let renderer = HelpRenderer(grammar: grammar)
        OutputStream.standardOutput.write(name.map(renderer.page) ?? renderer.programPage())
      case .command(let parsed):
        command = parsed.command
        _ = try StopGrace.checked()
        if Self.mayConnect(parsed.command) { LibPQPreload.start() }
        return CommandEnding(try await CommandDispatch.command(parsed).run())
      }
      return CommandEnding(.ok)
    } catch {
      let terminal = Terminal(
        fileDescriptor: 2, noColorFlag: typed.contains("--no-color"),
        environment: ProcessInfo.processInfo.environment)
      return CommandEnding(error: error, command: command, json: wantsJSON(typed), terminal: terminal)
    }
  }

  /// Whether the command line asks for JSON: then an error is one JSON object on stdout
  /// instead of text on stderr, whichever command and however early it failed.
  static func wantsJSON(_ arguments: [String]) -> Bool {
    if arguments.contains("--format=json") { return true }
    guard let index = arguments.firstIndex(of: "--format"), index + 1 < arguments.count else { return false }
    return arguments[index + 1] == "json"
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
