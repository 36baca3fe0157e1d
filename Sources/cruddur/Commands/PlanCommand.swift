import ArgumentParser
import Foundation
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
        cruddur plan db:setup -e prod --out plan.json   then: cruddur apply plan.json
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

  @OptionGroup var global: GlobalOptions
  @OptionGroup var environmentOptions: EnvironmentOptions
  @Option(help: "text or json.") var format: Format = .text
  @Option(help: ArgumentHelp("Also save the plan, to run it later exactly with `cruddur apply FILE`.", valueName: "file"))
  var out: String?
  @Argument(
    help: ArgumentHelp("Tasks to plan, each followed by its parameters, as for a run.", valueName: "task"),
    completion: ProjectCompletion.custom(.tasks))
  var tasks: [String]

  func run() throws {
    let project = try global.loadProject()
    let (environment, scope) = try environmentOptions.resolve(project, global: global)
    let (executable, invocations) = try Planning.planWithInvocations(
      words: tasks, project: project, environment: environment, scope: scope, requiresValues: out != nil)
    try Planning.print(executable.plan, as: format == .json ? .json : .text, terminal: global.stdoutTerminal)
    if let out {
      let saved = SavedPlan(executable: executable, invocations: invocations, project: project)
      do {
        try saved.encoded().write(toFile: out, atomically: true, encoding: .utf8)
      } catch {
        throw RunError("cannot write `\(out)`: \(error.localizedDescription)", exitStatus: .configError)
      }
      OutputStream.standardError.write(
        "saved to \(out) (sha256 \(saved.digest.prefix(12))…); run it with `cruddur apply \(out)`\n")
    }
  }
}
