import CruddurCommandLine
import CruddurCore
import CruddurOutput
import Foundation

struct ListCommand: CruddurCommand {
  enum Format: String, CaseIterable { case text, json }

  var global: GlobalOptions
  var format: Format

  init(_ parsed: ParsedCommandLine) throws {
    global = GlobalOptions(parsed)
    format = Format(rawValue: parsed.value("format") ?? "text") ?? .text
  }

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

  func run() throws -> CommandStatus {
    try Self.list(global.project, format: format)
    return .ok
  }

  /// The command itself, from plain options.
  static func list(_ options: ProjectOptions, format: Format) throws {
    let project = try options.loadProject()
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
      OutputStream.standardOutput.write(text(sorted, terminal: options.stdoutTerminal))
    }
  }

  /// Tasks without a namespace first, in one group, then one group per namespace; each line
  /// the task's signature (name and parameters, as just lists recipes), its description
  /// and its marks.
  private static func text(_ tasks: [TaskOverview], terminal: Terminal) -> String {
    // A very long signature is not allowed to push every description off the screen.
    let width = min(tasks.map(\.signature.count).max() ?? 0, 40)
    // Grouped by hand under String keys: a dictionary keyed by `String?` costs a run-time
    // conformance lookup (Optional: Hashable) over the whole binary, 0.4 M instructions.
    var plain: [TaskOverview] = []
    var groups: [String: [TaskOverview]] = [:]
    for task in tasks {
      if let namespace = task.namespace {
        groups[namespace, default: []].append(task)
      } else {
        plain.append(task)
      }
    }
    var out = ""
    func group(_ title: String, _ members: [TaskOverview]) {
      if !out.isEmpty { out += "\n" }
      out += terminal.paint(title, .bold) + "\n"
      for task in members {
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
    if !plain.isEmpty { group("tasks:", plain) }
    for namespace in groups.keys.sorted() { group(namespace + ":", groups[namespace] ?? []) }
    return out
  }
}
