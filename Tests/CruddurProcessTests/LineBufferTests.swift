import Testing

@testable import CruddurProcess

@Suite struct LineBufferTests {
  func lines(_ chunks: [String]) -> [String] {
    var buffer = LineBuffer()
    var lines: [String] = []
    for chunk in chunks { buffer.append(ArraySlice(Array(chunk.utf8))) { lines.append($0) } }
    buffer.finish { lines.append($0) }
    return lines
  }

  @Test("lines cut across chunks come out whole; CRLF loses its CR; a last line needs no newline")
  func chunks() {
    #expect(lines(["ab", "c\r\nd", "\n", "", "\n", "tail"]) == ["abc", "d", "", "tail"])
  }

  @Test("several lines in one chunk, and nothing after a final newline")
  func oneChunk() {
    #expect(lines(["one\ntwo\nthree\n"]) == ["one", "two", "three"])
  }

  @Test("a lone CR inside a line is kept")
  func innerCR() {
    #expect(lines(["a\rb\n"]) == ["a\rb"])
  }
}
