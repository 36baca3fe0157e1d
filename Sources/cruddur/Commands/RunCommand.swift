import CruddurCommandLine
import CruddurCore
import CruddurOutput
import CruddurPostgres
import Foundation

struct RunCommand: CruddurCommand {
  enum Format: String, CaseIterable { case text, json, csv }

  var global: GlobalOptions
  var output: OutputOptions
  var environmentOptions: EnvironmentOptions
  var fleet: FleetOptions
  var jobs: Int?
  var format: Format
  var yes: Bool
  var dryRun: Bool
  var wait: Bool
  /// Plain words: they are grouped by each task's parameter count in `InvocationParser`.
  var words: [String]

  init(_ parsed: ParsedCommandLine) throws {
    global = GlobalOptions(parsed)
    output = OutputOptions(parsed)
    environmentOptions = EnvironmentOptions(parsed)
    fleet = FleetOptions(parsed)
    jobs = parsed.integer("j")
    format = Format(rawValue: parsed.value("format") ?? "text") ?? .text
    yes = parsed.flag("yes")
    dryRun = parsed.flag("dry-run")
    wait = parsed.flag("wait")
    words = parsed.words
    if let jobs, jobs < 1 { throw ValidationError("-j must be at least 1") }
    if dryRun, format == .csv { throw ValidationError("--dry-run prints a plan: use --format text or json") }
  }

  func run() async throws -> CommandStatus {
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
      return try await FleetExecution(
        project: project, spec: spec, global: global, output: output, format: format, assumeYes: yes,
        waitForLock: wait, dryRun: dryRun, words: words, options: fleet, overrides: try environmentOptions.overrides()
      ).run()
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
      return .ok
    }
    return CommandStatus(
      try await Execution(
      project: project, global: global, output: output, format: format, jobs: jobs, assumeYes: yes, waitForLock: wait,
      startedAt: started
      ).run(executable).exitStatus())
  }
}
