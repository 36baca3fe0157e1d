import CruddurCore
import CruddurOutput
import Foundation
import Synchronization
import Testing

/// Progress is an event; how often it is shown is the renderer's choice, decided from the
/// event's own elapsed time, so these tests give any time they like and compare exactly.
@Suite struct ProgressRenderingTests {
  static let step = PlannedStep(
    number: 1, task: "db:seed", executor: "sql", description: StepDescription(target: nil, summary: "db/seed.sql"),
    after: [])

  static func progress(_ seconds: Int, bytes: Int) -> Event {
    .stepProgress(
      step: step,
      progress: StepProgress(statements: bytes / 100, bytes: bytes, totalBytes: 100_000_000, elapsed: .seconds(seconds)))
  }

  /// What `body` wrote to the renderer's stdout and stderr, read back through real pipes.
  static func capture(_ body: (CruddurOutput.OutputStream, CruddurOutput.OutputStream) -> Void) throws -> (stdout: String, stderr: String) {
    var out: [Int32] = [0, 0]
    var err: [Int32] = [0, 0]
    #expect(pipe(&out) == 0 && pipe(&err) == 0)
    body(CruddurOutput.OutputStream(fileDescriptor: out[1]), CruddurOutput.OutputStream(fileDescriptor: err[1]))
    close(out[1])
    close(err[1])
    defer {
      close(out[0])
      close(err[0])
    }
    let stdout = FileHandle(fileDescriptor: out[0], closeOnDealloc: false).readDataToEndOfFile()
    let stderr = FileHandle(fileDescriptor: err[0], closeOnDealloc: false).readDataToEndOfFile()
    return (String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
  }

  static func console(redraws: Bool, quiet: Bool = false, _ out: CruddurOutput.OutputStream, _ err: CruddurOutput.OutputStream) -> ConsoleRenderer {
    ConsoleRenderer(
      terminal: Terminal(useColor: false, isInteractive: redraws),
      diagnostics: DiagnosticRenderer(sources: SourceProvider(), terminal: Terminal(useColor: false, isInteractive: false)),
      isQuiet: quiet, redrawsProgress: redraws, standardOutput: out, standardError: err)
  }

  @Test("off a terminal: a plain line every 10 s of a long load, none for the first 10 s")
  func logLines() throws {
    let (stdout, stderr) = try Self.capture { out, err in
      let renderer = Self.console(redraws: false, out, err)
      for (second, bytes) in [(1, 1_000_000), (5, 5_000_000), (9, 9_000_000), (10, 10_000_000), (14, 14_000_000),
        (19, 19_000_000), (20, 20_000_000), (31, 50_000_000)]
      {
        renderer.emit(Self.progress(second, bytes: bytes))
      }
    }
    #expect(stdout == "")
    #expect(
      stderr == """
        db:seed | 100000 statements, 10.0 MB of 100.0 MB (10%), 1.0 MB/s, ETA 90s
        db:seed | 200000 statements, 20.0 MB of 100.0 MB (20%), 1.0 MB/s, ETA 80s
        db:seed | 500000 statements, 50.0 MB of 100.0 MB (50%), 1.6 MB/s, ETA 31s

        """)
  }

  @Test("on a terminal: one line redrawn in place after the first second, erased before the next output")
  func redrawn() throws {
    let (stdout, stderr) = try Self.capture { out, err in
      let renderer = Self.console(redraws: true, out, err)
      renderer.emit(Self.progress(0, bytes: 100))
      renderer.emit(Self.progress(2, bytes: 2_000_000))
      renderer.emit(Self.progress(3, bytes: 4_000_000))
      renderer.emit(.stepFinished(step: Self.step, duration: .seconds(4), note: nil))
    }
    #expect(stdout == "   done in 4.0 s\n")
    #expect(
      stderr
        == "\r\u{1B}[Kdb:seed | 20000 statements, 2.0 MB of 100.0 MB (2%), 1.0 MB/s, ETA 98s"
        + "\r\u{1B}[Kdb:seed | 40000 statements, 4.0 MB of 100.0 MB (4%), 1.3 MB/s, ETA 72s" + "\r\u{1B}[K")
  }

  @Test("on a terminal: the line is cut to the width by display width, painted once, whole characters kept")
  func cutToWidth() throws {
    let wide = PlannedStep(
      number: 1, task: "db:種子e\u{301}", executor: "sql", description: StepDescription(target: nil, summary: "x"), after: [])
    let progress = StepProgress(statements: 12, bytes: 2_000_000, totalBytes: 100_000_000, elapsed: .seconds(2))
    let (_, stderr) = try Self.capture { out, err in
      let renderer = ConsoleRenderer(
        terminal: Terminal(useColor: true, isInteractive: true),
        diagnostics: DiagnosticRenderer(sources: SourceProvider(), terminal: Terminal(useColor: false, isInteractive: false)),
        isQuiet: false, redrawsProgress: true, standardOutput: out, standardError: err, columns: { 20 })
      renderer.emit(.stepProgress(step: wide, progress: progress))
    }
    // 19 columns at most: `db:` 3, two wide characters 4, `é` (e + combining acute) 1,
    // ` | 12 ` 6, then `state` 5; painted once, after the cut.
    #expect(stderr == "\r\u{1B}[K\u{1B}[2mdb:種子e\u{301} | 12 state\u{1B}[0m")
  }

  @Test("on a terminal that narrowed since the last draw, the reflowed line is cleared from its first row")
  func narrowed() throws {
    let columns = Mutex(80)
    let (_, stderr) = try Self.capture { out, err in
      let renderer = ConsoleRenderer(
        terminal: Terminal(useColor: false, isInteractive: true),
        diagnostics: DiagnosticRenderer(sources: SourceProvider(), terminal: Terminal(useColor: false, isInteractive: false)),
        isQuiet: false, redrawsProgress: true, standardOutput: out, standardError: err,
        columns: { columns.withLock { $0 } })
      renderer.emit(Self.progress(2, bytes: 2_000_000))
      columns.withLock { $0 = 30 }
      renderer.emit(Self.progress(3, bytes: 3_000_000))
      renderer.emit(.stepFinished(step: Self.step, duration: .seconds(4), note: nil))
    }
    // The first line took 74 columns: at 30 the terminal shows it on 3 rows, the cursor on
    // the last; up 2, clear to the end of the screen, draw 29 columns; erase that one row.
    #expect(
      stderr
        == "\r\u{1B}[Kdb:seed | 20000 statements, 2.0 MB of 100.0 MB (2%), 1.0 MB/s, ETA 98s"
        + "\r\u{1B}[2A\u{1B}[Jdb:seed | 30000 statements, 3"
        + "\r\u{1B}[K")
  }

  @Test("all bytes sent: the line says the load waits for the server, with no rate")
  func waiting() {
    let progress = StepProgress(statements: 7, bytes: 1_500_000, totalBytes: 1_500_000, elapsed: .seconds(9))
    #expect(ProgressText.line(progress) == "7 statements, all 1.5 MB sent, waiting for the server")
  }

  @Test("-q shows no progress, on a terminal or off it")
  func quiet() throws {
    for redraws in [true, false] {
      let (stdout, stderr) = try Self.capture { out, err in
        let renderer = Self.console(redraws: redraws, quiet: true, out, err)
        for second in [2, 11, 25] { renderer.emit(Self.progress(second, bytes: second * 1_000_000)) }
      }
      #expect(stdout == "" && stderr == "", "redraws: \(redraws)")
    }
  }

  @Test("JSON: a step_progress object at most once a second, from the first second on")
  func json() throws {
    let (stdout, _) = try Self.capture { out, _ in
      let renderer = JSONLinesRenderer(out: out)
      for (milliseconds, bytes) in [(200, 1), (1_000, 2), (1_500, 3), (2_100, 4), (2_900, 5), (3_200, 6)] {
        renderer.emit(
          .stepProgress(
            step: Self.step,
            progress: StepProgress(statements: 1, bytes: bytes, totalBytes: nil, elapsed: .milliseconds(milliseconds))))
      }
    }
    let objects = stdout.split(separator: "\n").map { line -> [String: Any] in
      var object = (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) ?? [:]
      object["time"] = nil
      return object
    }
    #expect(objects.map { $0["bytes"] as? Int } == [2, 4, 6])
    #expect(objects.map { $0["elapsed_ms"] as? Int } == [1_000, 2_100, 3_200])
    #expect(objects.allSatisfy { $0["event"] as? String == "step_progress" && $0["total_bytes"] == nil })
    #expect(Set(objects.flatMap(\.keys)) == ["bytes", "elapsed_ms", "event", "statements", "step", "task"])
  }
}
