import CruddurCommandLine
import CruddurCore
import CruddurOutput

struct GraphCommand: CruddurCommand {
  var global: GlobalOptions
  var format: GraphRenderer.Format
  var tasks: [String]

  init(_ parsed: ParsedCommandLine) throws {
    global = GlobalOptions(parsed)
    format = GraphRenderer.Format(rawValue: parsed.value("format") ?? "text") ?? .text
    tasks = parsed.words
  }

  func run() throws -> CommandStatus {
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
    return .ok
  }
}

