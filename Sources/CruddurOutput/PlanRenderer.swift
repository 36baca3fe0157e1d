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
    // Appended piece by piece into one reserved string: interpolating each line and then
    // appending it copied every line twice (0.3 M instructions of a 100-step plan).
    out.reserveCapacity(out.utf8.count + plan.steps.count * 160)
    let indent = String(repeating: " ", count: width + 2)
    for step in plan.steps {
      let number = String(step.number)
      for _ in 0..<(width - number.count) { out += " " }
      out += number
      out += ". "
      out += terminal.paint(step.task, .bold)
      out += " ("
      out += step.executor.terminalSafe
      out += ")"
      if step.isDestructive {
        out += " "
        out += terminal.paint("[destructive]", .red)
      }
      if !step.isDestructive && step.description.effectUnknown != nil {
        out += " "
        out += terminal.paint("[unknown]", .red)
      }
      if plan.consentSteps.contains(step.number) {
        out += " "
        out += terminal.paint("[needs consent]", .red)
      }
      out += "\n"
      line(indent, step.description.summary.terminalSafe, into: &out)
      if let target = step.description.target { line(indent + "target: ", target.description.terminalSafe, into: &out) }
      for detail in step.description.details { line(indent, Redaction.redact(detail).terminalSafe, into: &out) }
      if !step.after.isEmpty { line(indent + "after: ", joined(step.after.map { "#\($0)" }, ", "), into: &out) }
    }
    return out
  }

  /// Appends `prefix`, `text` and a newline to `out`.
  private static func line(_ prefix: String, _ text: String, into out: inout String) {
    out += prefix
    out += text
    out += "\n"
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
