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
  @Argument(help: "Tasks to plan.") var tasks: [String]

  func run() throws {
    let project = try global.loadProject()
    let (environment, scope) = try environmentOptions.resolve(project, global: global)
    let executable: ExecutablePlan
    do throws(ConfigError) {
      executable = try Planner(project: project, registry: BuiltinExecutors.registry).plan(
        tasks: tasks, environment: environment, scope: scope)
    } catch {
      throw ProjectConfigError(project: project, diagnostics: error.diagnostics)
    }
    switch format {
    case .text: OutputStream.standardOutput.write(PlanRenderer.text(executable.plan, terminal: global.stdoutTerminal))
    case .json: OutputStream.standardOutput.write(try PlanRenderer.json(executable.plan))
    }
  }
}
