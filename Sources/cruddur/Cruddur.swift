import ArgumentParser
import CruddurCore
import CruddurOutput
import Foundation

@main
struct Cruddur: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cruddur",
    abstract: "Declared, checked, repeatable tasks for Postgres environments.",
    discussion: """
      Examples:
        cruddur db:setup                 drop, create, load schema and seed on the default environment
        cruddur plan db:setup -e prod    show what would run, without connecting
        cruddur list                     the tasks in cruddur.yml and tasks/
      """,
    version: CruddurVersion.current,
    subcommands: [
      RunCommand.self, PlanCommand.self, ApplyCommand.self, ListCommand.self, ValidateCommand.self, EnvsCommand.self,
      LocalCommand.self, GraphCommand.self, InitCommand.self, NewCommand.self,
      ConnectCommand.self,
    ],
    defaultSubcommand: RunCommand.self
  )

  /// The one funnel from error to message and exit status.
  static func main() async {
    do {
      if let fast = FastPath.command(for: Array(CommandLine.arguments.dropFirst())) {
        try await fast.run()
        return
      }
      var command = try parseAsRoot()
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch let error as ProjectConfigError {
      report(error.diagnostics, sources: error.project.sources)
      Foundation.exit(error.exitStatus.rawValue)
    } catch let error as any CruddurError {
      report(error.diagnostics, sources: SourceMap())
      Foundation.exit(error.exitStatus.rawValue)
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        exit(withError: error)
      }
      // argument-parser says 64 for usage errors; cruddur promises 2.
      let message = fullMessage(for: error)
      OutputStream.standardError.write(Redaction.redact(message) + "\n")
      Foundation.exit(code == .validationFailure ? ExitStatus.configError.rawValue : code.rawValue)
    }
  }

  static func report(_ diagnostics: [Diagnostic], sources: SourceMap) {
    let terminal = Terminal(
      fileDescriptor: 2, noColorFlag: CommandLine.arguments.contains("--no-color"),
      environment: ProcessInfo.processInfo.environment)
    OutputStream.standardError.write(DiagnosticRenderer(sources: sources, terminal: terminal).render(diagnostics))
  }
}

enum CruddurVersion {
  static let current = "0.1.0"
}
