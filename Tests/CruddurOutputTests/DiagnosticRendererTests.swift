import CruddurCore
import CruddurOutput
import CruddurTestSupport
import Foundation
import Testing

/// Diagnostics as rustc and just show them: message, `-->`, the line, carets, notes, help.
@Suite struct DiagnosticRendererTests {
  static let plain = Terminal(useColor: false, isInteractive: false)

  static func renderer(_ files: [String: String]) -> DiagnosticRenderer {
    var sources = SourceProvider()
    for (path, text) in files { sources.add(text, path: path) }
    return DiagnosticRenderer(sources: sources, terminal: plain)
  }

  @Test("the caret run spans the length; the label follows it; notes and help line up with the gutter")
  func caretLabelNotesHelp() {
    let text = "version: 1\ntasks:\n  db:create: { descripton: Make it }\n"
    let diagnostic = Diagnostic.error(
      "unknown key `descripton` in task `db:create`",
      at: SourceLocation(path: "cruddur.yml", line: 3, column: 16, length: 10), label: "did you mean `description`?",
      notes: [
        .init("first defined here", at: SourceLocation(path: "tasks/a.yml", line: 2, column: 3)),
        .init("keys are case-sensitive"),
      ], help: "see docs/reference.md")
    ExactOutput.expect(
      Self.renderer(["cruddur.yml": text]).render(diagnostic),
      equals: """
        error: unknown key `descripton` in task `db:create`
         --> cruddur.yml:3:16
          |
        3 |   db:create: { descripton: Make it }
          |                ^^^^^^^^^^ did you mean `description`?
          = note: first defined here at tasks/a.yml:2:3
          = keys are case-sensitive
          = help: see docs/reference.md

        """)
  }

  @Test("the gutter widens with the line number and the caret padding copies tabs")
  func wideGutterAndTabs() {
    let text = (1...11).map { $0 == 12 ? "" : "line \($0)" }.joined(separator: "\n") + "\n\tselect\t* from nope;\n"
    let diagnostic = Diagnostic.error(
      "relation \"nope\" does not exist", at: SourceLocation(path: "db/seed.sql", line: 12, column: 16, length: 4))
    ExactOutput.expect(
      Self.renderer(["db/seed.sql": text]).render(diagnostic),
      equals: """
        error: relation "nope" does not exist
          --> db/seed.sql:12:16
           |
        12 | \tselect\t* from nope;
           | \t      \t       ^^^^

        """)
  }

  @Test("a warning and a note; a location without a line; a hidden source line; a file read from disk")
  func otherShapes() throws {
    // b.yml is in no text given: its line is read from the project's folder when shown,
    // its bad byte shown as \xFF.
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    #expect(FileManager.default.createFile(atPath: directory.path + "/b.yml", contents: Data([0x61, 0x62, 0xFF, 0x0A])))
    let renderer = DiagnosticRenderer(sources: SourceProvider(root: directory.path), terminal: Self.plain)
    var hidden = Diagnostic.error("cannot read", at: SourceLocation(path: "a.yml", line: 2, column: 1))
    hidden.hidesSourceLine = true
    let fallback = Diagnostic.error("bad byte", at: SourceLocation(path: "b.yml", line: 1, column: 3))
    let text = renderer.render([
      Diagnostic(.warning, "`--set bdoy` names a variable this project does not use", help: "did you mean `body`?"),
      Diagnostic(.note, "a migration with a similar name exists"),
      .error("no cruddur.yml", at: SourceLocation(path: "sub/cruddur.yml", line: 0, column: 0), label: "looked here"),
      hidden,
      .error("gone", at: SourceLocation(path: "missing.yml", line: 4, column: 2), label: "here"),
      fallback,
    ])
    ExactOutput.expect(
      text,
      equals: """
        warning: `--set bdoy` names a variable this project does not use
         = help: did you mean `body`?
        note: a migration with a similar name exists
        error: no cruddur.yml
         --> sub/cruddur.yml
          = looked here
        error: cannot read
         --> a.yml:2:1
        error: gone
         --> missing.yml:4:2
          = here
        error: bad byte
         --> b.yml:1:3
          |
        1 | ab\\xFF
          |   ^

        """)
  }

  @Test("a password in a message, note or help is masked; colour paints head, message, gutter and carets")
  func maskingAndColour() {
    let diagnostic = Diagnostic.error(
      "cannot connect to postgresql://u:pw@h/db", at: SourceLocation(path: "c.yml", line: 1, column: 1),
      notes: [.init("tried postgresql://u:pw@h/db")], help: "check postgresql://u:pw@h/db")
    let colour = DiagnosticRenderer(
      sources: { var map = SourceProvider(); map.add("x\n", path: "c.yml"); return map }(),
      terminal: Terminal(useColor: true, isInteractive: true))
    ExactOutput.expect(
      colour.render(diagnostic),
      equals: "\u{1B}[1;31merror\u{1B}[0m: \u{1B}[1mcannot connect to postgresql://u:****@h/db\u{1B}[0m\n"
        + " --> c.yml:1:1\n"
        + "  \u{1B}[1;34m|\u{1B}[0m\n"
        + "1 \u{1B}[1;34m|\u{1B}[0m x\n"
        + "  \u{1B}[1;34m|\u{1B}[0m \u{1B}[1;31m^\u{1B}[0m\n"
        + "  = tried postgresql://u:****@h/db\n"
        + "  = help: check postgresql://u:****@h/db\n")
  }
}
