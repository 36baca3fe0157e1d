import CruddurCore
import CruddurOutput
import CruddurTestSupport
import Testing

/// `--format json`: one object per event and line, keys sorted, each with its time stamp.
@Suite struct JSONLinesRendererTests {
  static func render(_ events: [Event]) -> String {
    let captured = CapturedOutput()
    let renderer = JSONLinesRenderer(out: captured.standardOutput)
    for event in events { renderer.emit(event) }
    let output = captured.finish()
    #expect(output.stderr == "")
    return output.stdout
  }

  static let step = PlannedStep(
    number: 1, task: "bad", executor: "sql",
    description: StepDescription(target: nil, summary: "run db/bad.sql with postgresql://u:pw@h/db"), after: [])

  @Test("a failing run: every event's fields, the first error's place and SQLSTATE, secrets masked")
  func failingRun() {
    var failure = Diagnostic.error(
      "duplicate key value violates unique constraint \"t_pkey\"",
      at: SourceLocation(path: "db/bad.sql", line: 3, column: 3), help: "see postgresql://u:pw@h/db")
    failure.code = "23505"
    failure.detail = "Key (id)=(1) already exists."
    let plan = Plan(tasks: ["bad"], environment: "local", target: "postgresql://u:pw@h/db", steps: [Self.step])
    let output = Self.render([
      .runStarted(plan),
      .stepStarted(step: Self.step),
      .stepCommand(step: Self.step, text: "insert into t values (1)"),
      .stepOutput(step: Self.step, line: "NOTICE:  hi", stream: .notice),
      .stepFailed(step: Self.step, duration: .milliseconds(7), diagnostics: [failure]),
      .runFinished(
        RunSummary(steps: [.make(1, "bad", .failed, seconds: 0.007)], seconds: 0.0125)),
    ])
    ExactOutput.expect(
      output,
      equals: """
        {"environment":"local","event":"run_started","steps":1,"target":"postgresql://u:****@h/db","tasks":["bad"],"time":"<time>","version":1}
        {"event":"step_started","executor":"sql","step":1,"summary":"run db/bad.sql with postgresql://u:****@h/db","task":"bad","time":"<time>"}
        {"event":"step_command","step":1,"task":"bad","text":"insert into t values (1)","time":"<time>"}
        {"event":"step_output","line":"NOTICE:  hi","step":1,"stream":"notice","task":"bad","time":"<time>"}
        {"column":3,"detail":"Key (id)=(1) already exists.","duration_ms":0,"errors":["duplicate key value violates unique constraint \\"t_pkey\\""],"event":"step_failed","file":"db/bad.sql","hint":"see postgresql://u:****@h/db","line":3,"sqlstate":"23505","step":1,"task":"bad","time":"<time>"}
        {"duration_ms":0,"event":"run_finished","outcome":"failed","steps":[{"duration_ms":0,"outcome":"failed","step":1,"task":"bad"}],"time":"<time>"}

        """, normalizing: [.jsonTimes])
  }

  @Test("durations are whole milliseconds, rounded")
  func durations() {
    let output = Self.render([
      .stepFinished(step: Self.step, duration: .microseconds(12_600), note: "1 statement"),
      .stepCancelled(step: Self.step, duration: .milliseconds(1500)),
    ])
    ExactOutput.expect(
      output,
      equals: """
        {"duration_ms":13,"event":"step_finished","note":"1 statement","step":1,"task":"bad","time":"<time>"}
        {"duration_ms":1500,"event":"step_cancelled","step":1,"task":"bad","time":"<time>"}

        """, normalizing: [.pattern(#""time":"[^"]*""#, as: #""time":"<time>""#)])
  }

  @Test("rows: one step_row per row keyed by column, integers and booleans typed, NULL as null")
  func rows() {
    let columns = RowColumns(names: ["id", "ok", "amount", "name"], numeric: [0, 2], boolean: [1])
    let output = Self.render([
      .stepRowsStarted(step: Self.step, columns: columns),
      .stepRowChunk(step: Self.step, rows: [["1", "t", "1.50", "a\"b"], ["2", "f", "3", nil]]),
      .stepRowsFinished(step: Self.step, count: 2, commandTag: "SELECT 2"),
    ])
    ExactOutput.expect(
      output,
      equals: """
        {"columns":["id","ok","amount","name"],"event":"step_rows_started","step":1,"task":"bad","time":"<time>"}
        {"event":"step_row","row":{"id":1,"ok":true,"amount":"1.50","name":"a\\"b"},"step":1,"task":"bad","time":"<time>"}
        {"event":"step_row","row":{"id":2,"ok":false,"amount":3,"name":null},"step":1,"task":"bad","time":"<time>"}
        {"command_tag":"SELECT 2","count":2,"event":"step_rows_finished","step":1,"task":"bad","time":"<time>"}

        """, normalizing: [.jsonTimes])
  }

  @Test("the time stamp is ISO 8601 in UTC")
  func timeStamp() {
    let output = Self.render([.stepSkipped(step: Self.step, reason: "done")])
    ExactOutput.expect(
      output, equals: #"{"event":"step_skipped","reason":"done","step":1,"task":"bad","time":"<time>"}"# + "\n",
      normalizing: [.pattern(#""time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ""#, as: #""time":"<time>""#)])
  }
}
