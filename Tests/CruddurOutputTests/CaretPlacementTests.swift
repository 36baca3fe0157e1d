import CruddurCore
import CruddurOutput
import Foundation
import Testing

/// The caret goes under the column of the line as printed: after masking, escaping and
/// wide characters, which all change how far along the line the column is drawn.
@Suite struct CaretPlacementTests {
  static func render(_ line: String, column: Int, length: Int = 1) -> String {
    var sources = SourceProvider()
    sources.add(line + "\n", path: "cruddur.yml")
    let diagnostic = Diagnostic.error(
      "unknown key", at: SourceLocation(path: "cruddur.yml", line: 1, column: column, length: length))
    return DiagnosticRenderer(sources: sources, terminal: Terminal(useColor: false, isInteractive: false))
      .render(diagnostic)
  }

  @Test("after a masked password the caret is under the masked line's column")
  func afterMaskedPassword() {
    Redaction.remember(secret: "Caret-s3cret-password")
    let line = "url: postgresql://app:Caret-s3cret-password@db/app, colour: red"
    let column = Array(line.unicodeScalars).firstIndex(of: "c", after: 50)! + 1
    #expect(
      Self.render(line, column: column, length: 6) == """
        error: unknown key
         --> cruddur.yml:1:\(column)
          |
        1 | url: postgresql://app:****@db/app, colour: red
          |                                    ^^^^^^

        """)
  }

  @Test("wide characters count two columns, combining marks none")
  func wideCharacters() {
    // 名前 is two wide characters; é is e + a combining accent (one column).
    #expect(
      Self.render("名前: x, cafe\u{301}: y, bad: z", column: 18, length: 3) == """
        error: unknown key
         --> cruddur.yml:1:18
          |
        1 | 名前: x, cafe\u{301}: y, bad: z
          |                   ^^^

        """)
  }

  @Test("an emoji counts two columns; a tab is kept as a tab")
  func emojiAndTab() {
    #expect(
      Self.render("\tname: 🚀 launch, oops: 1", column: 18, length: 4) == """
        error: unknown key
         --> cruddur.yml:1:18
          |
        1 | \tname: 🚀 launch, oops: 1
          | \t                 ^^^^

        """)
  }
}

extension Array where Element == Unicode.Scalar {
  fileprivate func firstIndex(of scalar: Unicode.Scalar, after offset: Int) -> Int? {
    self[offset...].firstIndex(of: scalar)
  }
}
