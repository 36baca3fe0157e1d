import ArgumentParser
import CruddurCore
import CruddurOutput

struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate", abstract: "Check cruddur.yml and every included file; report every problem.",
    discussion: "Example:\n  cruddur validate")

  @OptionGroup var global: GlobalOptions

  func run() throws {
    let project = try global.loadProject()
    // Every task's graph, so a cycle anywhere is found even if nobody runs it today.
    let roots = project.taskOrder.compactMap { project.tasks[$0].map { TaskReference(name: $0.name, location: $0.location) } }
    do throws(ConfigError) {
      _ = try TaskGraph(roots: roots, tasks: project.tasks)
    } catch {
      throw ProjectConfigError(project: project, diagnostics: error.diagnostics)
    }
    if !global.quiet {
      OutputStream.standardOutput.write(
        "\(project.configPath): \(project.taskOrder.count) tasks, \(project.environments.count) environments, no problems\n")
    }
  }
}
