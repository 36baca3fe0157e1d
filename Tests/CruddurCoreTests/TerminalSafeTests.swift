import CruddurCore
import Testing

/// Text bound for a terminal has its control characters shown, not obeyed.
@Suite struct TerminalSafeTests {
  @Test("C0 and C1 controls and DEL become \\u{..}; tab and everything else stay")
  func escapes() {
    #expect("\u{1B}[2K\r✓ 9 steps done".terminalSafe == "\\u{1B}[2K\\u{D}✓ 9 steps done")
    #expect("a\tb".terminalSafe == "a\tb")
    #expect("line\nnext".terminalSafe == "line\\u{A}next")
    #expect("\u{7F}\u{9B}31m\u{0}".terminalSafe == "\\u{7F}\\u{9B}31m\\u{0}")
    #expect("café €".terminalSafe == "café €")
    #expect("\\u{1B}".terminalSafe == "\\u{1B}")
  }

  @Test("a name's first control character, tab included, is found and named by its code point")
  func controlCharacter() {
    #expect("db:setup".firstControlCharacter == nil)
    #expect("a\tb".firstControlCharacter?.codePoint == "U+0009")
    #expect("x\u{1B}y".firstControlCharacter?.codePoint == "U+001B")
    #expect("\u{85}".firstControlCharacter?.codePoint == "U+0085")
  }
}
