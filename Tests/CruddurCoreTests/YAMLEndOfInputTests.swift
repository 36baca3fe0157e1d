import CruddurCore
import Testing

/// A problem libyaml finds at the end of the input is placed on the last line with text,
/// not on the line after it, which the file does not have (found by the property test).
@Suite struct YAMLEndOfInputTests {
  @Test(
    "a key without its colon on the last line is reported at that line's end",
    arguments: [("a: 1\nb\n", 2, 2), ("a: 1\nbee\n\n  \n", 2, 4), ("a: 1\r\nb\r\n", 2, 2)])
  func lastLine(_ text: String, _ line: Int, _ column: Int) throws {
    let (_, diagnostics) = YAMLReader.read(text, path: "cruddur.yml")
    let first = try #require(diagnostics.first)
    #expect(first.message == "invalid YAML: could not find expected ':'")
    #expect(first.location?.line == line && first.location?.column == column, "\(String(describing: first.location))")
  }

  @Test("a problem inside the text keeps libyaml's place")
  func insideText() throws {
    let (_, diagnostics) = YAMLReader.read("a: [1, 2\nb: 3\n", path: "cruddur.yml")
    let first = try #require(diagnostics.first)
    #expect(first.location?.line == 2 && first.location?.column == 2, "\(String(describing: first.location))")
  }
}
