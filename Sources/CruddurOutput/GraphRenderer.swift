import CruddurCore
import Foundation

/// Task graphs as an indented text list, Graphviz dot, or a Mermaid flowchart; names are
/// escaped for the terminal.
public enum GraphRenderer {
  public enum Format: String, Sendable, CaseIterable { case text, dot, mermaid }

  public static func render(_ tasks: [TaskDefinition], format: Format) -> String {
    switch format {
    case .text: return text(tasks)
    case .dot: return dot(tasks)
    case .mermaid: return mermaid(tasks)
    }
  }

  static func text(_ tasks: [TaskDefinition]) -> String {
    var out = ""
    for task in tasks {
      out += "\(task.name.terminalSafe)\(task.action.map { " (\($0.key))" } ?? "")\n"
      if !task.deps.isEmpty { out += "  deps:  \(task.deps.map(\.name.terminalSafe).joined(separator: ", "))\n" }
      if !task.steps.isEmpty { out += "  steps: \(task.steps.map(\.name.terminalSafe).joined(separator: " -> "))\n" }
    }
    return out
  }

  static func dot(_ tasks: [TaskDefinition]) -> String {
    var out = "digraph cruddur {\n  rankdir=LR;\n  node [shape=box];\n"
    for task in tasks {
      out += "  \(quote(task.name));\n"
      for dep in task.deps { out += "  \(quote(task.name)) -> \(quote(dep.name));\n" }
      for (i, step) in task.steps.enumerated() {
        out += "  \(quote(task.name)) -> \(quote(step.name)) [style=dashed, label=\"\(i + 1)\"];\n"
      }
    }
    return out + "}\n"
  }

  static func mermaid(_ tasks: [TaskDefinition]) -> String {
    var ids: [String: String] = [:]
    func id(_ name: String) -> String {
      if let existing = ids[name] { return existing }
      let made = "t\(ids.count)"
      ids[name] = made
      return made
    }
    var out = "flowchart LR\n"
    for task in tasks { out += "  \(id(task.name))[\"\(task.name.terminalSafe)\"]\n" }
    for task in tasks {
      for dep in task.deps { out += "  \(id(task.name)) --> \(id(dep.name))\n" }
      for (i, step) in task.steps.enumerated() { out += "  \(id(task.name)) -.->|\(i + 1)| \(id(step.name))\n" }
    }
    return out
  }

  static func quote(_ s: String) -> String {
    "\"" + s.terminalSafe.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
  }
}
