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

  /// One task in `--format json`; keys are snake_case like every JSON cruddur writes.
  struct Entry: Encodable {
    var name: String
    var namespace: String?
    var description: String?
    var action: String?
    var params: [String]
    var deps: [String]
    var steps: [String]
    var location: String
    var destructive: Bool
    var protected: Bool
  }

  func run() throws {
    let project = try global.loadProject()
    let overviews = TaskOverview.all(project, registry: BuiltinExecutors.registry)
    let sorted = project.taskOrder.sorted().compactMap { overviews[$0] }
    switch format {
    case .json:
      let entries = sorted.map { task in
        Entry(
          name: task.name, namespace: task.namespace, description: task.description, action: task.action,
          params: task.params, deps: task.deps, steps: task.steps, location: task.location.description,
          destructive: task.isDestructive, protected: task.isProtected)
      }
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      OutputStream.standardOutput.write(String(decoding: try encoder.encode(entries), as: UTF8.self) + "\n")
    case .text:
      OutputStream.standardOutput.write(text(sorted))
    }
  }

  /// Tasks without a namespace first, in one group, then one group per namespace; each line
  /// the task's signature (name and parameters, as just lists recipes), its description
  /// and its marks.
  private func text(_ tasks: [TaskOverview]) -> String {
    let terminal = global.stdoutTerminal
    // A very long signature is not allowed to push every description off the screen.
    let width = min(tasks.map(\.signature.count).max() ?? 0, 40)
    let groups = Dictionary(grouping: tasks, by: \.namespace)
    let order: [String?] = (groups[nil] == nil ? [] : [nil]) + groups.keys.compactMap { $0 }.sorted()
    var out = ""
    for (index, namespace) in order.enumerated() {
      if index > 0 { out += "\n" }
      out += terminal.paint((namespace.map { $0 + ":" }) ?? "tasks:", .bold) + "\n"
      for task in groups[namespace] ?? [] {
        let signature = task.signature
        let padding = String(repeating: " ", count: max(0, width - signature.count))
        var marks: [String] = []
        if task.isDestructive { marks.append(terminal.paint("[destructive]", .yellow)) }
        if task.isProtected { marks.append(terminal.paint("[protected]", .red)) }
        let tail = ([task.description.map { terminal.paint($0, .dim) }].compactMap { $0 } + marks)
          .joined(separator: "  ")
        out += "  \(signature)\(tail.isEmpty ? "" : padding + "  " + tail)\n"
      }
    }
    return out
  }
}
