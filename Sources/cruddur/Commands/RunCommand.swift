import ArgumentParser
import CruddurCore
import CruddurOutput
import CruddurPostgres
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

      Ctrl-C cancels running queries on the server and stops running commands (their whole process group), then exits 130; a second Ctrl-C kills the commands at once.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, csv }

  @OptionGroup var global: GlobalOptions
  @OptionGroup var output: OutputOptions
  @OptionGroup var environmentOptions: EnvironmentOptions
  @OptionGroup(title: "Fleet options") var fleet: FleetOptions

  @Option(name: .customShort("j"), help: ArgumentHelp("Run up to N independent steps at once (default: cores).", valueName: "N"))
  var jobs: Int?

  @Option(help: "text; json: one JSON object per event and line; csv: query rows alone on stdout.")
  var format: Format = .text

  @Flag(name: [.short, .long], help: "Consent to destructive steps on a protected environment without asking.")
  var yes = false

  @Flag(name: [.customShort("n"), .customLong("dry-run")], help: "Print the plan (as `cruddur plan` does) and run nothing.")
  var dryRun = false

  @Flag(help: "When another destructive run holds the target's lock, wait for it instead of failing.")
  var wait = false

  // Plain positional words, so argument-parser rejects an unknown option (with its
  // suggestion) and `--` ends options; the words are grouped by each task's parameter
  // count in `InvocationParser`.
  @Argument(
    help: ArgumentHelp("Tasks to run, each followed by its parameters.", valueName: "task [params...]"),
    completion: ProjectCompletion.custom(.tasks))
  var words: [String]

  func validate() throws {
    if let jobs, jobs < 1 { throw ValidationError("-j must be at least 1") }
    if dryRun, format == .csv { throw ValidationError("--dry-run prints a plan: use --format text or json") }
  }

  func run() async throws {
    let started = ContinuousClock.now
    let project: Project
    do {
      project = try global.loadProject()
    } catch let error as ConfigError {
      // No project to read (no cruddur.yml here): a typo of a command is the likelier story.
      if let word = words.first, let command = CommandSuggestion.closest(to: word, tasks: []) {
        throw CommandSuggestion.error(word, command: command)
      }
      throw error
    }
    if let word = words.first, project.tasks[word] == nil,
      let command = CommandSuggestion.closest(to: word, tasks: project.taskOrder)
    {
      throw CommandSuggestion.error(word, command: command)
    }
    if let spec = try FleetSelection.fleet(project, environmentOptions, fleet, global: global) {
      try await FleetExecution(
        project: project, spec: spec, global: global, output: output, format: format, assumeYes: yes,
        waitForLock: wait, dryRun: dryRun, words: words, options: fleet, overrides: try environmentOptions.overrides()
      ).run()
      return
    }
    let (environment, scope) = try environmentOptions.resolve(project, global: global)
    var executable = try Planning.plan(
      words: words, project: project, environment: environment, scope: scope, requiresValues: true,
      detailed: dryRun)
    if !dryRun, !yes, !executable.plan.consentSteps.isEmpty, environment.isProtected {
      // Consent is asked for what will run: a migrate step is destructive only when a
      // pending migration is, which its target says (read-only).
      executable = try await TargetInspection.inspect(executable, projectRoot: project.root)
    }
    if dryRun {
      try Planning.print(executable.plan, as: format == .json ? .json : .text, terminal: global.stdoutTerminal)
      return
    }
    try await Execution(
      project: project, global: global, output: output, format: format, jobs: jobs, assumeYes: yes, waitForLock: wait,
      startedAt: started
    ).run(executable).end()
  }
}
