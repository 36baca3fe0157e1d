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
    // Each signature made and measured once: the width and every line need it.
    let signatures = tasks.map(\.signature)
    let lengths = signatures.map(Self.characterCount)
    // A very long signature is not allowed to push every description off the screen.
    let width = min(lengths.max() ?? 0, 40)
    // Grouped by hand under String keys: a dictionary keyed by `String?` costs a run-time
    // conformance lookup (Optional: Hashable) over the whole binary, 0.4 M instructions.
    var plain: [Int] = []
    var groups: [String: [Int]] = [:]
    for (index, task) in tasks.enumerated() {
      if let namespace = task.namespace {
        groups[namespace, default: []].append(index)
      } else {
        plain.append(index)
      }
    }
    var out = ""
    func group(_ title: String, _ members: [Int]) {
      if !out.isEmpty { out += "\n" }
      out += terminal.paint(title, .bold) + "\n"
      for index in members {
        let task = tasks[index]
        let signature = signatures[index]
        let padding = String(repeating: " ", count: max(0, width - lengths[index]))
        // The description and the marks, two spaces apart; appended by hand, as the stdlib's
        // unspecialised `joined` cost `list` 0.27 M instructions of run-time type lookups.
        var tail = ""
        var parts = 0
        func add(_ part: String) {
          if parts > 0 { tail += "  " }
          tail += part
          parts += 1
        }
        if let description = task.description { add(terminal.paint(description, .dim)) }
        if task.isDestructive { add(terminal.paint("[destructive]", .yellow)) }
        if task.isProtected { add(terminal.paint("[protected]", .red)) }
        out += "  \(signature)\(tail.isEmpty ? "" : padding + "  " + tail)\n"
      }
    }
    if !plain.isEmpty { group("tasks:", plain) }
    for namespace in groups.keys.sorted() { group(namespace + ":", groups[namespace] ?? []) }
    return out
  }

  /// `text.count` (Characters), counted by bytes when every one is printable ASCII, where
  /// each byte is one Character: grapheme breaking cost 2 K instructions a task.
  private static func characterCount(_ text: String) -> Int {
    text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } ? text.utf8.count : text.count
  }
}
