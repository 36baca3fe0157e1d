import ArgumentParser
import CruddurCore
import CruddurOutput

struct GraphCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "graph", abstract: "Show how tasks depend on each other (deps and steps).",
    discussion: """
      Example:
        cruddur graph db:setup
        cruddur graph --format dot | dot -Tsvg > tasks.svg
        cruddur graph --format mermaid
      """)

  @OptionGroup var global: GlobalOptions
  @Option(help: "text, dot or mermaid.") var format: GraphRenderer.Format = .text
  @Argument(help: "Tasks to start from (default: all).", completion: ProjectCompletion.custom(.tasks))
  var tasks: [String] = []

  func run() throws {
    let project = try global.loadProject()
    let names = tasks.isEmpty ? project.taskOrder : tasks
    let roots = names.map { TaskReference(name: $0, location: SourceLocation(path: "<command line>", line: 1, column: 1)) }
    let graph: TaskGraph
    do throws(ConfigError) {
      graph = try TaskGraph(roots: roots, tasks: project.tasks)
    } catch {
      throw ProjectConfigError(project: project, diagnostics: error.diagnostics)
    }
    let nodes = graph.order.compactMap { project.tasks[$0] }
    OutputStream.standardOutput.write(GraphRenderer.render(nodes, format: format))
  }
}

extension GraphRenderer.Format: ExpressibleByArgument {}
