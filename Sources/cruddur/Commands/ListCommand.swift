import ArgumentParser
import CruddurCore
import CruddurOutput

struct ListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the tasks with their descriptions, grouped by namespace.",
    discussion: "Example:\n  cruddur list")

  @OptionGroup var global: GlobalOptions

  func run() throws {
    let project = try global.loadProject()
    let terminal = global.stdoutTerminal
    let width = project.taskOrder.map(\.count).max() ?? 0
    var out = ""
    var group: String?
    for name in project.taskOrder.sorted() {
      let namespace = name.firstIndex(of: ":").map { String(name[..<$0]) } ?? ""
      if namespace != group {
        out += namespace.isEmpty ? "" : "\(out.isEmpty ? "" : "\n")\(terminal.paint(namespace + ":", .bold))\n"
        group = namespace
      }
      let description = project.tasks[name]?.description ?? ""
      out += "  \(name)\(String(repeating: " ", count: width - name.count))  \(terminal.paint(description, .dim))\n"
    }
    OutputStream.standardOutput.write(out)
  }
}
