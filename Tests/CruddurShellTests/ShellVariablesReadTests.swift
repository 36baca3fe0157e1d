import Testing

@testable import CruddurShell

/// The variables a shell step reads (what `--set` is checked against): names the command
/// mentions as `$NAME` or `${NAME...}`, less those it assigns or loops over and the shell's
/// own; found by bytes in an ASCII command and by Foundation's search otherwise.
@Suite struct ShellVariablesReadTests {
  func read(_ command: String) -> Set<String>? {
    ShellExecutor().variablesRead(ShellExecutor.Spec(command: command))
  }

  @Test("assigned and loop variables and the shell's own are not the step's inputs")
  func ascii() {
    #expect(
      read("echo $A; B=1; echo $B ${C:-x}; for D in 1 2; do echo $D; done; echo $PWD") == [
        "A", "C",
      ])
    #expect(read("echo $X_1 $$ $9 ${Y}") == ["X_1", "Y"])
    #expect(read("echo A= $A") == [])
    #expect(read("echo hello") == [])
  }

  @Test("a non-ASCII command answers the same")
  func nonASCII() {
    #expect(read("écho $A; B=1; echo $B ${C:-x}; for D in 1 2; do echo $D; done") == ["A", "C"])
    #expect(read("echo «$NAME»; NAME2=é") == ["NAME"])
  }
}

extension ShellVariablesReadTests {
  @Test("names next to multi-byte characters and at the end of the command are found")
  func edges() {
    #expect(read("echo é$A€${B}ü $") == ["A", "B"])
    #expect(read("$é ${é} $_x1") == ["_x1"])
    #expect(read("echo $") == [])
    #expect(read("echo ${") == [])
  }
}
