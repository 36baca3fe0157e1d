import CruddurCore
import CruddurOutput
import Testing

/// The renderers escape what they print from files and servers, and keep carets aligned.
@Suite struct TerminalSafeRenderingTests {
  @Test("a source line with a control character is escaped and the caret still lands under the column")
  func diagnosticLine() {
    let diagnostic = Diagnostic.error(
      "relation \"x\u{1B}[2K\" does not exist", at: SourceLocation(path: "db/load.sql", line: 3, column: 17),
      help: "check \u{7}")
    var sources = SourceProvider()
    sources.add("\n\nselect '\u{1B}[31m', * from x;\n", path: "db/load.sql")
    let text = DiagnosticRenderer(sources: sources, terminal: Terminal(useColor: false, isInteractive: false))
      .render(diagnostic)
    #expect(
      text == """
        error: relation "x\\u{1B}[2K" does not exist
         --> db/load.sql:3:17
          |
        3 | select '\\u{1B}[31m', * from x;
          |                      ^
          = help: check \\u{7}

        """)
  }

  @Test("table cells and headers are escaped, the widths measured on what is shown")
  func rows() {
    var stream = RowTableStream(columns: RowColumns(names: ["na\u{1B}me"]))
    #expect(stream.rows([["\u{1B}[2Kx"], [nil]]) + stream.finish(count: 2, commandTag: nil) == " na\\u{1B}me \n------------\n \\u{1B}[2Kx\n ∅\n(2 rows)\n")
  }
}
