import CruddurOutput
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Colour only on a terminal, and never with `NO_COLOR`, `--no-color` or `TERM=dumb`.
@Suite struct TerminalTests {
  @Test("a pipe is no terminal, so no colour whatever the environment")
  func pipeIsNoTerminal() {
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    defer {
      close(fds[0])
      close(fds[1])
    }
    let terminal = Terminal(fileDescriptor: fds[1], noColorFlag: false, environment: ["TERM": "xterm"])
    #expect(!terminal.isInteractive)
    #expect(!terminal.useColor)
    #expect(terminal.paint("plain", .red) == "plain")
  }

  @Test("paint wraps the text in its style's escape and escapes control characters inside it")
  func paint() {
    let colour = Terminal(useColor: true, isInteractive: true)
    #expect(colour.paint("ok", .green) == "\u{1B}[32mok\u{1B}[0m")
    #expect(colour.paint("a\u{1B}[2Kb", .bold) == "\u{1B}[1ma\\u{1B}[2Kb\u{1B}[0m")
    #expect(Terminal(useColor: false, isInteractive: true).paint("a\u{1B}b\tc", .dim) == "a\\u{1B}b\tc")
    let styles: [(Terminal.Style, String)] = [
      (.bold, "1"), (.dim, "2"), (.red, "1;31"), (.green, "32"), (.yellow, "33"), (.cyan, "1;36"), (.blue, "1;34"),
    ]
    for (style, code) in styles { #expect(colour.paint("x", style) == "\u{1B}[\(code)mx\u{1B}[0m") }
  }

  @Test("the standard streams are descriptors 1 and 2; a stream writes all of its text")
  func streams() {
    #expect(OutputStream.standardOutput.fileDescriptor == 1)
    #expect(OutputStream.standardError.fileDescriptor == 2)
    let captured = CapturedOutput()
    let long = String(repeating: "0123456789", count: 3000) + "\n"
    captured.standardOutput.write(long)
    captured.standardError.write("ü\n")
    let output = captured.finish()
    #expect(output.stdout == long)
    #expect(output.stderr == "ü\n")
  }
}
