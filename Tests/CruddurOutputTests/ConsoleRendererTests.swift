import CruddurCore
import CruddurOutput
import CruddurTestSupport
import Testing

/// The console renderer fed events directly: what each event prints, on which stream.
@Suite struct ConsoleRendererTests {
  static let plain = Terminal(useColor: false, isInteractive: false)

  static func step(_ number: Int, _ task: String, _ summary: String, executor: String = "shell") -> PlannedStep {
    PlannedStep(
      number: number, task: task, executor: executor, description: StepDescription(target: nil, summary: summary),
      after: [])
  }

  static func plan(_ steps: [PlannedStep]) -> Plan {
    Plan(
      tasks: steps.map(\.task), environment: "local", target: "postgres:****@127.0.0.1:5432/app", steps: steps)
  }

  static func summary(_ outcomes: [(String, RunSummary.Outcome)], seconds: Double, interrupted: Bool = false)
    -> RunSummary
  {
    RunSummary(
      steps: outcomes.enumerated().map { .make($0.offset + 1, $0.element.0, $0.element.1) }, seconds: seconds,
      isInterrupted: interrupted)
  }

  /// Runs `events` through a renderer writing to pipes.
  static func render(
    _ events: [Event], terminal: Terminal = plain, quiet: Bool = false, verbose: Bool = false,
    rows: RowFormat = .table
  ) -> (stdout: String, stderr: String) {
    let captured = CapturedOutput()
    let renderer = ConsoleRenderer(
      terminal: terminal, diagnostics: DiagnosticRenderer(sources: SourceProvider(), terminal: terminal), isQuiet: quiet,
      isVerbose: verbose, rowFormat: rows, redrawsProgress: false, standardOutput: captured.standardOutput,
      standardError: captured.standardError)
    for event in events { renderer.emit(event) }
    return captured.finish()
  }

  @Test("a passing run: header, each step with its output and duration, one summary line")
  func passingRun() {
    let hello = Self.step(1, "hello", "sh: echo hi")
    let seed = Self.step(2, "db:seed", "run db/seed.sql", executor: "sql")
    let output = Self.render([
      .runStarted(Self.plan([hello, seed])),
      .stepStarted(step: hello),
      .stepCommand(step: hello, text: "echo hi"),
      .stepOutput(step: hello, line: "hi", stream: .stdout),
      .stepOutput(step: hello, line: "a warning", stream: .stderr),
      .stepFinished(step: hello, duration: .milliseconds(12), note: nil),
      .stepStarted(step: seed),
      .stepOutput(step: seed, line: "NOTICE:  table \"x\" does not exist, skipping", stream: .notice),
      .stepFinished(step: seed, duration: .milliseconds(1234), note: "2 statements"),
      .runFinished(Self.summary([("hello", .succeeded), ("db:seed", .succeeded)], seconds: 1.3)),
    ])
    ExactOutput.expect(
      output.stdout,
      equals: """
        cruddur hello db:seed on local (postgres:****@127.0.0.1:5432/app), 2 steps
        == hello sh: echo hi
        hi
           done in 12 ms
        == db:seed run db/seed.sql
           done in 1.23 s, 2 statements
        ✓ 2 steps done in 1.3 s

        """)
    ExactOutput.expect(output.stderr, equals: "a warning\nNOTICE:  table \"x\" does not exist, skipping\n")
  }

  @Test("-v shows each command line by line, masked")
  func verbose() {
    let step = Self.step(1, "env", "sh: two lines")
    let output = Self.render(
      [
        .stepStarted(step: step),
        .stepCommand(step: step, text: "echo one\npsql postgresql://u:secret@h/db"),
      ], verbose: true)
    ExactOutput.expect(output.stdout, equals: "== env sh: two lines\n+ echo one\n+ psql postgresql://u:****@h/db\n")
    #expect(output.stderr == "")
    // Without -v the command is not shown.
    #expect(Self.render([.stepCommand(step: step, text: "echo one")]).stdout == "")
  }

  @Test("a failing step: its error on stderr with the exit status; the summary names every outcome")
  func failingRun() {
    let a = Self.step(1, "a", "sh: exit 7")
    let b = Self.step(2, "b", "sh: sleep 9")
    let c = Self.step(3, "c", "sh: echo never")
    let output = Self.render([
      .runStarted(Self.plan([a, b, c])),
      .stepStarted(step: a),
      .stepStarted(step: b),
      .stepFailed(
        step: a, duration: .milliseconds(6), diagnostics: [.error("the command exited with status 7")], exitCode: 7),
      .stepCancelled(step: b, duration: .milliseconds(8)),
      .runFinished(Self.summary([("a", .failed), ("b", .cancelled), ("c", .notStarted)], seconds: 0.0204)),
    ])
    ExactOutput.expect(
      output.stdout,
      equals: """
        cruddur a b c on local (postgres:****@127.0.0.1:5432/app), 3 steps
        == a sh: exit 7
        == b sh: sleep 9
        ✗ run failed after 20 ms: 0 done; failed: a; cancelled: b; never started: c

        """)
    ExactOutput.expect(
      output.stderr,
      equals: """
        == a failed after 6 ms, exit status 7
        error: the command exited with status 7
        == b cancelled after 8 ms

        """)
  }

  @Test("while two steps overlap their lines carry a task prefix; a skipped step says why")
  func parallelPrefixes() {
    let a = Self.step(1, "a", "sh: a")
    let long = Self.step(2, "long", "sh: long")
    let after = Self.step(3, "after", "sh: after")
    let output = Self.render([
      .runStarted(Self.plan([a, long, after])),
      .stepStarted(step: a),
      .stepOutput(step: a, line: "alone", stream: .stdout),
      .stepStarted(step: long),
      .stepOutput(step: a, line: "a-done", stream: .stdout),
      .stepOutput(step: long, line: "oops", stream: .stderr),
      .stepFinished(step: a, duration: .milliseconds(3), note: nil),
      .stepOutput(step: long, line: "still prefixed", stream: .stdout),
      .stepFinished(step: long, duration: .milliseconds(4), note: nil),
      .stepSkipped(step: after, reason: "`test -f done` exited 0"),
      .runFinished(Self.summary([("a", .succeeded), ("long", .succeeded), ("after", .skipped)], seconds: 0.5)),
    ])
    ExactOutput.expect(
      output.stdout,
      equals: """
        cruddur a long after on local (postgres:****@127.0.0.1:5432/app), 3 steps
        == a sh: a
        alone
        == long sh: long
        a     | a-done
        a     |    done in 3 ms
        long  | still prefixed
        long  |    done in 4 ms
        == after skipped: `test -f done` exited 0
        ✓ 2 steps done, 1 skipped in 500 ms

        """)
    ExactOutput.expect(output.stderr, equals: "long  | oops\n")
  }

  @Test("-q holds a passing step's output back and prints a failing step's before its error")
  func quiet() {
    let ok = Self.step(1, "ok", "sh: echo fine")
    let bad = Self.step(2, "bad", "sh: exit 3")
    let output = Self.render(
      [
        .runStarted(Self.plan([ok, bad])),
        .stepStarted(step: ok),
        .stepOutput(step: ok, line: "all fine", stream: .stdout),
        .stepFinished(step: ok, duration: .milliseconds(1), note: nil),
        .stepStarted(step: bad),
        .stepOutput(step: bad, line: "connecting", stream: .stdout),
        .stepOutput(step: bad, line: "no such bucket", stream: .stderr),
        .stepFailed(step: bad, duration: .milliseconds(2), diagnostics: [.error("exit 3")], exitCode: 3),
        .runFinished(Self.summary([("ok", .succeeded), ("bad", .failed)], seconds: 1.5, interrupted: false)),
      ], quiet: true)
    ExactOutput.expect(output.stdout, equals: "✗ run failed after 1.5 s: 1 done; failed: bad\n")
    ExactOutput.expect(
      output.stderr, equals: "no such bucket\nconnecting\n== bad failed after 2 ms, exit status 3\nerror: exit 3\n")
  }

  @Test("an interrupted run says so in its summary")
  func interrupted() {
    let output = Self.render([
      .runFinished(Self.summary([("slow", .cancelled)], seconds: 2, interrupted: true))
    ])
    #expect(output.stdout == "✗ interrupted after 2.0 s: 0 done; cancelled: slow\n")
  }

  @Test("rows as a table go to stdout; with CSV, stdout has the rows alone and the rest goes to stderr")
  func rows() {
    let step = Self.step(1, "report", "query: select n", executor: "query")
    let columns = RowColumns(names: ["n", "label"], numeric: [0])
    let events: [Event] = [
      .stepStarted(step: step),
      .stepRowsStarted(step: step, columns: columns),
      .stepRowChunk(step: step, rows: [["1", "x,1"], ["12", nil]]),
      .stepRowsFinished(step: step, count: 2, commandTag: "SELECT 2"),
      .stepFinished(step: step, duration: .milliseconds(5), note: nil),
    ]
    let table = Self.render(events)
    ExactOutput.expect(
      table.stdout,
      equals: """
        == report query: select n
         n  | label\u{20}
        ----+-------
          1 | x,1
         12 | ∅
        (2 rows)
           done in 5 ms

        """)
    #expect(table.stderr == "")
    let csv = Self.render(events, rows: .csv)
    #expect(csv.stdout == "n,label\r\n1,\"x,1\"\r\n12,\r\n")
    ExactOutput.expect(csv.stderr, equals: "== report query: select n\n   done in 5 ms\n")
  }

  @Test("an embedded server's report is one dim line; with colour every part is painted")
  func colour() {
    let colour = Terminal(useColor: true, isInteractive: true)
    let step = Self.step(1, "a", "sh: true")
    let output = Self.render(
      [
        .serverReady(
          ServerReport(
            environment: "local", action: .started, address: "127.0.0.1:5432", dataDirectory: ".cruddur/data")),
        .stepStarted(step: step),
        .stepFinished(step: step, duration: .milliseconds(1), note: nil),
        .runFinished(Self.summary([("a", .succeeded)], seconds: 0.001)),
      ], terminal: colour)
    let report = ServerReport(
      environment: "local", action: .started, address: "127.0.0.1:5432", dataDirectory: ".cruddur/data")
    ExactOutput.expect(
      output.stdout,
      equals: "\u{1B}[2m\(report.sentence)\u{1B}[0m\n"
        + "\u{1B}[1;36m== a\u{1B}[0m \u{1B}[2msh: true\u{1B}[0m\n"
        + "\u{1B}[2m   done in 1 ms\u{1B}[0m\n"
        + "\u{1B}[32m✓ 1 step done in 1 ms\u{1B}[0m\n")
    #expect(report.sentence == "started the embedded server at 127.0.0.1:5432 (data in .cruddur/data)")
  }
}
