import ArgumentParser
import CruddurCore
import CruddurOutput
import Foundation

struct ListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the tasks with their descriptions, grouped by namespace.",
    discussion: """
      Example:
        cruddur list
        cruddur list --format json | jq '.[].name'
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

  @OptionGroup var global: GlobalOptions
  @Option(help: "text or json.") var format: Format = .text

  struct Entry: Encodable {
    var name: String
    var namespace: String?
    var description: String?
    var action: String?
    var deps: [String]
    var steps: [String]
    var location: String
  }

  func run() throws {
    let project = try global.loadProject()
    let names = project.taskOrder.sorted()
    switch format {
    case .json:
      let entries = names.compactMap { project.tasks[$0] }.map { task in
        Entry(
          name: task.name, namespace: Self.namespace(of: task.name), description: task.description,
          action: task.action?.key, deps: task.deps.map(\.name), steps: task.steps.map(\.name),
          location: task.location.description)
      }
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      OutputStream.standardOutput.write(String(decoding: try encoder.encode(entries), as: UTF8.self) + "\n")
    case .text:
      OutputStream.standardOutput.write(text(project, names: names))
    }
  }

  private func text(_ project: Project, names: [String]) -> String {
    let terminal = global.stdoutTerminal
    let width = names.map(\.count).max() ?? 0
    var out = ""
    var group: String??
    for name in names {
      let namespace = Self.namespace(of: name)
      if group != .some(namespace) {
        if group != nil { out += "\n" }
        out += terminal.paint((namespace.map { $0 + ":" }) ?? "tasks:", .bold) + "\n"
        group = .some(namespace)
      }
      let description = project.tasks[name]?.description ?? ""
      out += "  \(name)\(String(repeating: " ", count: width - name.count))  \(terminal.paint(description, .dim))\n"
    }
    return out
  }

  /// `db:setup` is in `db`; a name without a colon has no namespace.
  static func namespace(of name: String) -> String? {
    name.firstIndex(of: ":").map { String(name[..<$0]) }
  }
}
