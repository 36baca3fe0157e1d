import ArgumentParser
import CruddurCore
import CruddurOutput
import CruddurPostgres
import CruddurShell
import Foundation

struct RunCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run tasks (the default command: `cruddur db:setup` = `cruddur run db:setup`).",
    discussion: """
      Example:
        cruddur db:setup -e local
        cruddur users:add 'Andrew Brown' andrewbrown andrew@example.com MOCK
        cruddur aws:sg-allow-me --set MY_IP=203.0.113.7
        cruddur db:setup --format json     one JSON object per event and line

      Ctrl-C cancels running queries on the server and stops running commands (their
      whole process group), then exits 130; a second Ctrl-C kills the commands at once.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, csv }

  @OptionGroup var global: GlobalOptions
  @OptionGroup var environmentOptions: EnvironmentOptions

  @Option(name: .customShort("j"), help: ArgumentHelp("Run up to N independent steps at once (default: cores).", valueName: "N"))
  var jobs: Int?

  @Option(help: "text; json: one JSON object per event and line; csv: query rows alone on stdout.")
  var format: Format = .text

  @Flag(name: [.short, .long], help: "Consent to destructive steps on a protected environment without asking.")
  var yes = false

  @Argument(help: "The task to run, then its positional parameters.")
  var task: String

  @Argument(parsing: .allUnrecognized, help: "Parameters bound to the task's `params`, in order.")
  var arguments: [String] = []

  func validate() throws {
    if let jobs, jobs < 1 { throw ValidationError("-j must be at least 1") }
  }

  func run() async throws {
    let project = try global.loadProject()
    let (environment, scope) = try environmentOptions.resolve(project, global: global)
    let executable: ExecutablePlan
    do throws(ConfigError) {
      executable = try Planner(project: project, registry: BuiltinExecutors.registry).plan(
        tasks: [task], environment: environment, scope: scope, arguments: arguments)
    } catch {
      throw ProjectConfigError(project: project, diagnostics: error.diagnostics)
    }
    try Consent.obtain(for: executable, assumeYes: yes)
    let events: any EventSink
    switch format {
    case .text, .csv:
      events = ConsoleRenderer(
        terminal: format == .csv ? global.stderrTerminal : global.stdoutTerminal,
        diagnostics: DiagnosticRenderer(sources: project.sources, terminal: global.stderrTerminal),
        isQuiet: global.quiet, isVerbose: global.verbose, rowFormat: format == .csv ? .csv : .table)
    case .json:
      events = JSONLinesRenderer()
    }
    let resources = RunResources()
    let groups = ProcessGroups.shared(in: resources)
    let runner = Runner(
      events: events, projectRoot: project.root, isVerbose: global.verbose, isQuiet: global.quiet,
      arguments: arguments,
      maxParallel: jobs ?? ProcessInfo.processInfo.activeProcessorCount, resources: resources,
      dynamicValues: ShellValueResolver(groups: groups), queryCheck: UnlessSQLCheck())
    let run = Task { await runner.run(executable) }
    let interrupts = Interrupts(signals: [SIGINT, SIGTERM]) { count in
      // The first cancels: queries get a cancel request, commands SIGTERM then SIGKILL.
      // A second does not abandon them: it kills the process groups now, and the run
      // still waits for them to be gone before exiting.
      if count == 1 { run.cancel() } else { groups.signalAll(SIGKILL) }
    }
    let (summary, failure) = await run.value
    interrupts.stop()
    if summary.isInterrupted { throw ExitCode(ExitStatus.interrupted.rawValue) }
    if !failure.isEmpty {
      throw ExitCode(ExitStatus.stepFailed.rawValue)
    }
  }
}

/// Delivers SIGINT/SIGTERM to a handler (with how many arrived so far) instead of ending
/// the process, for as long as it lives.
final class Interrupts: @unchecked Sendable {
  // Invariant: `count` is only touched on `queue`, the sources' serial queue.
  private let queue = DispatchQueue(label: "cruddur.signals")
  private var sources: [any DispatchSourceSignal] = []
  private var count = 0

  init(signals: [Int32], handler: @escaping @Sendable (Int) -> Void) {
    for signalNumber in signals {
      // Ignored at the process level so the default action (exit) never runs; the
      // dispatch source still sees it. Children reset it to the default when spawned.
      signal(signalNumber, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
      source.setEventHandler { [unowned self] in
        count += 1
        handler(count)
      }
      source.resume()
      sources.append(source)
    }
  }

  func stop() {
    queue.sync { sources.forEach { $0.cancel() } }
  }
}
