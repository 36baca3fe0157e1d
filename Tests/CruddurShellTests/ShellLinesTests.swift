import Testing

@testable import CruddurShell

/// A shell step's lines, as its plan shows them: the byte fast path for a one-line ASCII
/// command answers as splitting by Characters does, and every other command is split so.
@Suite struct ShellLinesTests {
  static let commands = [
    "", "echo hi", "echo a\necho b", "a\r\nb", "\n\nx\n", "x\u{0B}y", "x\u{0C}y", "x\ry",
    "é\u{85}f",
    "a\u{2028}b", "café", "   ", "echo $HOME",
  ]

  @Test("a command's lines are its Character lines", arguments: commands)
  func lines(_ command: String) {
    #expect(
      ShellExecutor.lines(of: command)
        == command.split(whereSeparator: \.isNewline).map(String.init))
  }
}
