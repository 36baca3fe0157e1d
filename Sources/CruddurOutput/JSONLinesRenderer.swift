import CruddurCore
import Foundation

/// `--format json`: one JSON object per line and per event, for machines. Every object has
/// `event` and `time` (ISO 8601); step events carry `step` (its number) and `task`.
/// Text passes through the same masking as console output.
public struct JSONLinesRenderer: EventSink {
  let out: OutputStream
  /// The columns of each result being streamed, for its `step_row` lines.
  private let results = PerStep<RowColumns>()
  /// `step_progress` once a second at most, from a step's first second on.
  private let progressPacing = ProgressPacing(first: .seconds(1), every: .seconds(1))

  /// A fleet run's target (`host:port/database`), added to every event as `target`.
  let target: String?

  public init(out: OutputStream = .standardOutput, target: String? = nil) {
    self.out = out
    self.target = target
  }

  public func emit(_ event: Event) {
    var object: [String: Any] = [:]
    switch event {
    case .runStarted(let plan):
      object = [
        // The version of the event stream's shape (docs/json.md).
        "event": "run_started", "version": 1, "tasks": plan.tasks, "environment": plan.environment,
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
    case .stepRowsStarted(let step, let columns):
      results.set(step.number, columns)
      object = stepObject("step_rows_started", step)
      object["columns"] = columns.names
    case .stepRowChunk(let step, let rows):
      guard let columns = results.with(step.number, { $0 }) else { return }
      out.write(rowLines(rows, step: step, columns: columns))
      return
    case .stepRowsFinished(let step, let count, let commandTag):
      _ = results.remove(step.number)
      object = stepObject("step_rows_finished", step)
      object["count"] = count
      if let commandTag { object["command_tag"] = commandTag }
    case .stepProgress(let step, let progress):
      guard progressPacing.isDue(step: step.number, at: progress.elapsed) else { return }
      object = stepObject("step_progress", step)
      object["statements"] = progress.statements
      object["bytes"] = progress.bytes
      if let total = progress.totalBytes { object["total_bytes"] = total }
      object["elapsed_ms"] = milliseconds(progress.elapsed)
    case .stepFinished(let step, let duration, let note):
      object = stepObject("step_finished", step)
      object["duration_ms"] = milliseconds(duration)
      if let note { object["note"] = note }
    case .stepFailed(let step, let duration, let diagnostics, let exitCode):
      object = stepObject("step_failed", step)
      object["duration_ms"] = milliseconds(duration)
      object["errors"] = diagnostics.map { Redaction.redact($0.message) }
      if let exitCode { object["exit_code"] = Int(exitCode) }
      // The first error's fields, for machines (docs/json.md).
      if let first = diagnostics.first {
        if let code = first.code { object["sqlstate"] = code }
        if let location = first.location, location.line > 0 {
          object["file"] = location.path
          object["line"] = location.line
          object["column"] = location.column
        }
        if let detail = first.detail { object["detail"] = detail }
        if let hint = first.help { object["hint"] = Redaction.redact(hint) }
        if let names = first.objectNames {
          let fields = [
            ("schema_name", names.schema), ("table_name", names.table), ("column_name", names.column),
            ("datatype_name", names.dataType), ("constraint_name", names.constraint),
          ]
          for case (let key, let value?) in fields { object[key] = Redaction.redact(value) }
        }
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
        "duration_ms": milliseconds(seconds: summary.seconds),
        "steps": summary.steps.map { result -> [String: Any] in
          var entry: [String: Any] = ["step": result.number, "task": result.task, "outcome": result.outcome.rawValue]
          if let seconds = result.seconds { entry["duration_ms"] = milliseconds(seconds: seconds) }
          return entry
        },
      ]
    case .serverReady(let report):
      object = [
        "event": "server_ready", "environment": report.environment, "action": report.action.rawValue,
        "address": report.address, "data_directory": report.dataDirectory,
      ]
      if let pid = report.pid { object["pid"] = pid }
    case .stepBlocked(let step, let waited, let blockers):
      object = stepObject("step_blocked", step)
      object["waited_ms"] = milliseconds(waited)
      object["blockers"] = blockers.map { blocker -> [String: Any] in
        var entry: [String: Any] = [
          "pid": Int(blocker.processID), "application_name": Redaction.redact(blocker.applicationName),
          "state": blocker.state, "query": Redaction.redact(blocker.query),
        ]
        if let seconds = blocker.transactionSeconds { entry["transaction_ms"] = milliseconds(seconds: seconds) }
        return entry
      }
    case .stepRetrying(let step, let attempt, let attempts, let delay, let reason):
      object = stepObject("step_retrying", step)
      object["attempt"] = attempt
      object["attempts"] = attempts
      object["delay_ms"] = milliseconds(delay)
      object["reason"] = Redaction.redact(reason)
    }
    if let target { object["target"] = target }
    object["time"] = ISO8601DateFormatter().string(from: Date())
    guard
      let data = try? JSONSerialization.data(
        withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    else { return }
    out.write(String(decoding: data, as: UTF8.self) + "\n")
  }

  /// One `step_row` line per row, written by hand rather than through JSONSerialization,
  /// which costs more per row than the query does: keys sorted like every other event,
  /// `row` keyed by column name in column order, integers as numbers (decimals stay
  /// strings, so no digit is lost), NULL as null. One time stamp per chunk: when it arrived.
  func rowLines(_ rows: [[String?]], step: PlannedStep, columns: RowColumns) -> String {
    let keys = JSONString.keys(columns.names)
    let head = "{\"event\":\"step_row\",\"row\":{"
    let targetField = target.map { "\"target\":\(JSONString.quote($0))," } ?? ""
    let tail = "},\"step\":\(step.number),\(targetField)\"task\":\(JSONString.quote(step.task)),\"time\":\"\(ISO8601DateFormatter().string(from: Date()))\"}\n"
    var out = ""
    for row in rows {
      out += head
      for (i, key) in keys.enumerated() {
        if i > 0 { out += "," }
        out += key
        out += ":"
        if i < row.count, let value = row[i] {
          if columns.boolean.contains(i), value == "t" || value == "f" {
            out += value == "t" ? "true" : "false"
          } else {
            out += columns.numeric.contains(i) && Int64(value) != nil ? value : JSONString.quote(value)
          }
        } else {
          out += "null"
        }
      }
      out += tail
    }
    return out
  }

  private func stepObject(_ name: String, _ step: PlannedStep) -> [String: Any] {
    ["event": name, "step": step.number, "task": step.task]
  }

  private func milliseconds(_ duration: Duration) -> Int { milliseconds(seconds: duration.seconds) }
  private func milliseconds(seconds: Double) -> Int { Int((seconds * 1000).rounded()) }

}
