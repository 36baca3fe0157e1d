import CruddurCore
import Foundation

/// `--format json`: one JSON object per line and per event, for machines. Every object has
/// `event` and `time` (ISO 8601); step events carry `step` (its number) and `task`.
/// Text passes through the same masking as console output.
public struct JSONLinesRenderer: EventSink {
  let out: OutputStream

  public init(out: OutputStream = .standardOutput) { self.out = out }

  public func emit(_ event: Event) {
    var object: [String: Any] = [:]
    switch event {
    case .runStarted(let plan):
      object = [
        "event": "run_started", "tasks": plan.tasks, "environment": plan.environment,
        "target": Redaction.redact(plan.target), "steps": plan.steps.count,
      ]
    case .stepStarted(let step):
      object = stepObject("step_started", step)
      object["executor"] = step.executor
      object["summary"] = Redaction.redact(step.description.summary)
    case .stepCommand(let step, let text):
      object = stepObject("step_command", step)
      object["text"] = Redaction.redact(text)
    case .stepOutput(let step, let line, let stream):
      object = stepObject("step_output", step)
      object["stream"] = stream.rawValue
      object["line"] = Redaction.redact(line)
    case .stepRows(let step, let rows):
      object = stepObject("step_rows", step)
      object["columns"] = rows.columns
      // One object per row, keyed by column name; NULL is JSON null.
      object["rows"] = rows.rows.map { row -> [String: Any] in
        var values: [String: Any] = [:]
        for (index, (column, value)) in zip(rows.columns, row).enumerated() {
          // Integers become JSON numbers; decimals stay strings, so no digit is lost.
          if let value, rows.numericColumns.contains(index), let number = Int64(value) {
            values[column] = number
          } else {
            values[column] = value.map { $0 as Any } ?? NSNull()
          }
        }
        return values
      }
      if let tag = rows.commandTag { object["command_tag"] = tag }
    case .stepFinished(let step, let duration, let note):
      object = stepObject("step_finished", step)
      object["duration_ms"] = milliseconds(duration)
      if let note { object["note"] = note }
    case .stepFailed(let step, let duration, let diagnostics, let exitCode):
      object = stepObject("step_failed", step)
      object["duration_ms"] = milliseconds(duration)
      object["errors"] = diagnostics.map { Redaction.redact($0.message) }
      if let exitCode { object["exit_code"] = Int(exitCode) }
      if let sqlState = diagnostics.lazy.compactMap({ Self.sqlState(in: $0.message) }).first {
        object["sqlstate"] = sqlState
      }
    case .stepSkipped(let step, let reason):
      object = stepObject("step_skipped", step)
      object["reason"] = Redaction.redact(reason)
    case .stepCancelled(let step, let duration):
      object = stepObject("step_cancelled", step)
      object["duration_ms"] = milliseconds(duration)
    case .runFinished(let summary):
      object = [
        "event": "run_finished",
        "outcome": summary.isInterrupted ? "interrupted" : summary.succeeded ? "succeeded" : "failed",
        "duration_ms": Int((summary.seconds * 1000).rounded()),
        "steps": summary.steps.map { result -> [String: Any] in
          var entry: [String: Any] = ["step": result.number, "task": result.task, "outcome": result.outcome.rawValue]
          if let seconds = result.seconds { entry["duration_ms"] = Int((seconds * 1000).rounded()) }
          return entry
        },
      ]
    case .serverReady(let report):
      object = [
        "event": "server_ready", "environment": report.environment, "action": report.action.rawValue,
        "address": report.address, "data_directory": report.dataDirectory,
      ]
      if let pid = report.pid { object["pid"] = pid }
    }
    object["time"] = ISO8601DateFormatter().string(from: Date())
    guard
      let data = try? JSONSerialization.data(
        withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    else { return }
    out.write(String(decoding: data, as: UTF8.self) + "\n")
  }

  private func stepObject(_ name: String, _ step: PlannedStep) -> [String: Any] {
    ["event": name, "step": step.number, "task": step.task]
  }

  private func milliseconds(_ duration: Duration) -> Int { Int((duration.seconds * 1000).rounded()) }

  /// The SQLSTATE a server error's message ends with (`... [SQLSTATE 42P01]`).
  static func sqlState(in message: String) -> String? {
    guard let range = message.range(of: "[SQLSTATE ") else { return nil }
    let code = message[range.upperBound...].prefix(5)
    return code.count == 5 ? String(code) : nil
  }
}
