import CruddurCore
import Foundation

/// `query: SQL`: one statement, parameters bound as `$1...` (never spliced into the text),
/// rows reported as a table. `on: maintenance` runs it against the server's maintenance
/// database, for questions about the server rather than one database.
public struct QueryExecutor: Executor {
  public struct Spec: StepSpec {
    var sql: String
    var onMaintenance: Bool
    var location: SourceLocation? = nil
  }

  public init() {}
  public var actionKey: String { "query" }
  public var taskKeys: Set<String> { ["on"] }

  public func decode(_ input: ActionInput, diagnostics: inout [Diagnostic]) -> Spec? {
    guard let sql = input.value.string, !input.value.isNull, !sql.allSatisfy(\.isWhitespace) else {
      diagnostics.append(
        ConfigErrorKind.invalidValue(what: "`query`", requirement: "be SQL text", found: input.value.kindName, suggestion: nil)
          .diagnostic(at: input.value.spanLocation))
      return nil
    }
    if let problem = QueryTextRules.problem(in: sql, key: "query") {
      diagnostics.append(problem.diagnostic(at: input.value.spanLocation))
    }
    var onMaintenance = false
    if let on = input.task["on"] {
      switch on.string {
      case "maintenance": onMaintenance = true
      case "database": onMaintenance = false
      default:
        let suggestion = on.string.flatMap { Suggestion.closest(to: $0, in: ["database", "maintenance"]) }
        diagnostics.append(
          ConfigErrorKind.invalidValue(
            what: "`on`", requirement: "be `database` or `maintenance`", found: nil, suggestion: suggestion
          ).diagnostic(at: on.spanLocation))
      }
    }
    return Spec(sql: sql, onMaintenance: onMaintenance, location: input.value.spanLocation)
  }

  /// `validate`: `${NAME}` in the text is sent as written (a query is never interpolated,
  /// so a value can never be spliced into SQL); what was meant is a bound parameter.
  public func check(_ spec: Spec, projectRoot: String) -> [Diagnostic] {
    guard let range = spec.sql.range(of: "${") else { return [] }
    let name = spec.sql[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
    return [PostgresConfigErrorKind.interpolationInQuery(name: String(name)).diagnostic(at: spec.location)]
  }

  /// The text sent, the parameters bound to it by name, and its verdict.
  public struct Prepared: Codable, Sendable, Hashable {
    var sql: String
    var parameters: [String]
    var target: Target
    /// The statement when it needs consent (destructive, or its effect unseen).
    var statement: PlannedStatement?
  }

  public func prepare(_ spec: Spec, in context: PlanContext) throws -> Prepared {
    let firstLine = spec.sql.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    // A query is one short text, so it is judged on every environment: besides consent on
    // a protected one, a destructive step is what makes a run check the target's stamp
    // (a database restored or renamed from another environment is refused from any).
    var judge = StatementJudge()
    let verdict = judge.judge(spec.sql)
    let statement =
      verdict.safetyClass.needsConsent
      ? PlannedStatement(
        kind: verdict.reason ?? verdict.safetyClass.name,
        text: Whitespace.trimmed(Substring(firstLine)),
        verdict: verdict.safetyClass.name) : nil
    return Prepared(
      sql: spec.sql, parameters: context.task.params,
      target: try PostgresSession.target(context, maintenance: spec.onMaintenance),
      statement: statement)
  }

  public func describe(_ prepared: Prepared) -> StepDescription {
    let firstLine = prepared.sql.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    var details = prepared.sql.split(whereSeparator: \.isNewline).map { "  " + String($0) }
    let lineCount = details.count
    if !prepared.parameters.isEmpty {
      details.append(
        "parameters: "
          + prepared.parameters.enumerated().map { "$\($0.offset + 1) = \($0.element)" }.joined(
            separator: ", "))
    }
    let statements = [prepared.statement].compactMap { $0 }
    details += statements.map(\.shown)
    var description = StepDescription(
      target: prepared.target,
      summary: "query: \(Whitespace.trimmed(Substring(firstLine)))\(lineCount > 1 ? " ..." : "")",
      details: details, isDestructive: statements.contains { !$0.isUnknown }, destructiveStatements: statements)
    if statements.contains(where: \.isUnknown) { description.effectUnknown = "a statement cruddur cannot see through" }
    return description
  }

  public func run(_ prepared: Prepared, spec: Spec, step: PlannedStep, in context: StepContext)
    async throws
  {
    if context.isVerbose { context.events.emit(.stepCommand(step: step, text: prepared.sql)) }
    let params = try parameters(for: step.task, context: context)
    let events = context.events
    // Rows are printed as they arrive, a chunk at a time: a result of a million rows never
    // sits in memory whole.
    let result = try await PostgresSession.withConnection(context, step: step, maintenance: spec.onMaintenance) {
      try await $0.stream(
        prepared.sql, parameters: params.values,
        onColumns: { events.emit(.stepRowsStarted(step: step, columns: $0)) },
        onRows: { events.emit(.stepRowChunk(step: step, rows: $0)) })
    }
    events.emit(.stepRowsFinished(step: step, count: result.rowCount, commandTag: result.commandTag))
  }

  /// The planner bound the command line's words to the task's parameters, above `--set`
  /// and every other source; it also checked that each has a value.
  private func parameters(for task: String, context: StepContext) throws -> (names: [String], values: [String?]) {
    let names = context.task.params
    var values: [String?] = []
    for (index, name) in names.enumerated() {
      guard let value = context.scope.value(name) else {
        throw RunError(.missingParameter(task: task, name: name, position: index + 1))
      }
      values.append(value)
    }
    return (names, values)
  }
}
