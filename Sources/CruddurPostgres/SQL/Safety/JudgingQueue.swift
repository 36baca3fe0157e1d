import CruddurCore
import Dispatch
import Foundation

/// Judges a script's statements in order, parsing them ahead on every core: parsing and
/// decoding (most of the cost) need nothing from earlier statements, the judgment does
/// (functions created, statements prepared), so a batch is parsed in parallel and then
/// judged one by one. A batch bounds the trees held at once.
struct JudgingQueue {
  private struct Pending {
    var text: String
    var standardConformingStrings: Bool
    var line: Int
    var file: String
  }

  private(set) var judge = StatementJudge()
  /// Destructive and unknown statements, in file order.
  private(set) var flagged: [PlannedStatement] = []
  private var pending: [Pending] = []
  private static let batchSize = 2048

  init(readOnlyOnTarget: Set<String>) { judge.readOnlyOnTarget = readOnlyOnTarget }

  mutating func add(_ statement: SQLStatement, file: String) {
    pending.append(
      Pending(
        text: statement.text, standardConformingStrings: statement.standardConformingStrings,
        line: statement.line,
        file: file))
    if pending.count >= Self.batchSize { flush() }
  }

  mutating func flush() {
    guard !pending.isEmpty else { return }
    let texts = pending.map { $0.standardConformingStrings ? $0.text : nil }
    var parsed = [Result<[ParsedStatement], SQLParseError>?](repeating: nil, count: texts.count)
    let workers = min(ProcessInfo.processInfo.activeProcessorCount, max(1, texts.count / 64))
    parsed.withUnsafeMutableBufferPointer { buffer in
      // Each worker writes only its own indices.
      nonisolated(unsafe) let results = buffer
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        for index in stride(from: worker, to: texts.count, by: workers) {
          if let text = texts[index] { results[index] = SQLParser.parse(text) }
        }
      }
    }
    for (index, statement) in pending.enumerated() {
      let verdict = judge.judge(
        statement.text, standardConformingStrings: statement.standardConformingStrings,
        parsed: parsed[index])
      guard verdict.safetyClass.needsConsent else { continue }
      let firstLine = statement.text.prefix { $0 != "\n" && $0 != "\r" }
      let shown = firstLine.count > 60 ? firstLine.prefix(57) + "..." : firstLine
      flagged.append(
        PlannedStatement(
          kind: verdict.reason ?? verdict.safetyClass.name, text: String(shown),
          file: statement.file,
          line: statement.line, verdict: verdict.safetyClass.name))
    }
    pending.removeAll(keepingCapacity: true)
  }
}
