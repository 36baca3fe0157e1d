import ArgumentParser
import CruddurCore
import CruddurOutput

struct PlanCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Show every step a run would take, in order, without connecting or running anything.",
    discussion: """
      Example:
        cruddur plan db:setup -e prod
        cruddur plan db:setup --format json
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

  @OptionGroup var global: GlobalOptions
  @OptionGroup var environmentOptions: EnvironmentOptions
  @Option(help: "text or json.") var format: Format = .text
  @Argument(
    help: ArgumentHelp("Tasks to plan, each followed by its parameters, as for a run.", valueName: "task"),
    completion: ProjectCompletion.custom(.tasks))
  var tasks: [String]

  func run() throws {
    let project = try global.loadProject()
    let (environment, scope) = try environmentOptions.resolve(project, global: global)
    let executable = try Planning.plan(
      words: tasks, project: project, environment: environment, scope: scope, requiresValues: false)
    try Planning.print(executable.plan, as: format == .json ? .json : .text, terminal: global.stdoutTerminal)
  }
}
