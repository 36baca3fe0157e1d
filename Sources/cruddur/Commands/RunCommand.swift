import ArgumentParser
import CruddurCore
import CruddurOutput

struct RunCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run tasks (the default command: `cruddur db:setup` = `cruddur run db:setup`).",
    discussion: """
      Example:
        cruddur db:setup -e local
        cruddur users:add 'Andrew Brown' andrewbrown andrew@example.com MOCK
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup var environmentOptions: EnvironmentOptions

  @Argument(help: "The task to run, then its positional parameters.")
  var task: String

  @Argument(parsing: .captureForPassthrough, help: "Parameters bound to the task's `params`, in order.")
  var arguments: [String] = []

  func run() async throws {
    let project = try global.loadProject()
    let (environment, scope) = try environmentOptions.resolve(project, global: global)
    let executable: ExecutablePlan
    do throws(ConfigError) {
      executable = try Planner(project: project, registry: BuiltinExecutors.registry).plan(
        tasks: [task], environment: environment, scope: scope)
    } catch {
      throw ProjectConfigError(project: project, diagnostics: error.diagnostics)
    }
    let renderer = ConsoleRenderer(
      terminal: global.stdoutTerminal,
      diagnostics: DiagnosticRenderer(sources: project.sources, terminal: global.stderrTerminal),
      isQuiet: global.quiet)
    let runner = Runner(events: renderer, projectRoot: project.root, isVerbose: global.verbose, arguments: arguments)
    let (summary, failure) = await runner.run(executable)
    if summary.isInterrupted { throw ExitCode(ExitStatus.interrupted.rawValue) }
    if !failure.isEmpty {
      let isConfig = failure.contains { $0.message.contains("needs parameter") }
      throw ExitCode(isConfig ? ExitStatus.configError.rawValue : ExitStatus.stepFailed.rawValue)
    }
  }
}
