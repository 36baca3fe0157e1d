import CruddurCore
import Foundation

/// A plan as text for people (every step, in order, where it acts, what it does) or as
/// JSON for machines and saved plans. Text from the project is escaped for the terminal.
public enum PlanRenderer {
  public static func text(_ plan: Plan, terminal: Terminal) -> String {
    let header = "Plan for \(joined(plan.tasks, " ")) on \(plan.environment) (\(plan.target))"
    var out = header.terminalSafe + "\n"
    if let source = plan.passwordSource { out += "password: \(source.terminalSafe)\n" }
    if plan.steps.isEmpty { return out + "  nothing to do\n" }
    if let notice = plan.consentNotice { out += terminal.paint(notice, .red) + "\n" }
    let width = String(plan.steps.count).count
    for step in plan.steps {
      let number = String(repeating: " ", count: width - String(step.number).count) + "\(step.number)"
      let flag =
        (step.isDestructive ? " " + terminal.paint("[destructive]", .red) : "")
        + (!step.isDestructive && step.description.effectUnknown != nil ? " " + terminal.paint("[unknown]", .red) : "")
        + (plan.consentSteps.contains(step.number) ? " " + terminal.paint("[needs consent]", .red) : "")
      out += "\(number). \(terminal.paint(step.task, .bold)) (\(step.executor.terminalSafe))\(flag)\n"
      let indent = String(repeating: " ", count: width + 2)
      out += "\(indent)\(step.description.summary.terminalSafe)\n"
      if let target = step.description.target { out += "\(indent)target: \(target.description.terminalSafe)\n" }
      for detail in step.description.details { out += "\(indent)\(Redaction.redact(detail).terminalSafe)\n" }
      if !step.after.isEmpty { out += "\(indent)after: \(joined(step.after.map { "#\($0)" }, ", "))\n" }
    }
    return out
  }

  /// `parts.joined(separator:)`, appended by hand: the stdlib's unspecialised `joined`
  /// looks its element type's conformances up at run time, 0.27 M instructions of a plan.
  static func joined(_ parts: [String], _ separator: String) -> String {
    var out = ""
    for (index, part) in parts.enumerated() {
      if index > 0 { out += separator }
      out += part
    }
    return out
  }

  public static func json(_ plan: Plan) throws -> String {
    let encoder = JSONEncoder()
    // snake_case, as every JSON cruddur writes (docs/json.md).
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(plan), as: UTF8.self) + "\n"
  }
}
