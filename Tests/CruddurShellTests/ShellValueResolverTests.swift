import CruddurCore
import CruddurShell
import Testing

@Suite struct ShellValueResolverTests {
  let environment = ["PATH": "/usr/bin:/bin"]

  @Test("a value is the command's stdout, trimmed of newlines; stderr is not part of it")
  func stdoutOnly() async throws {
    let value = try await ShellValueResolver().output(
      of: "echo one; echo noise >&2; echo two; echo", environment: environment, directory: "/")
    #expect(value == "one\ntwo")
  }

  @Test("a failing command's error keeps its exit code and its stderr")
  func failure() async throws {
    let error = await #expect(throws: ShellValueError.self) {
      try await ShellValueResolver().output(
        of: "echo out; echo 'went wrong' >&2; exit 7", environment: environment, directory: "/")
    }
    #expect(error?.exitCode == 7)
    #expect(error?.stderr == ["went wrong"])
  }

  @Test("an unless check succeeds on exit status 0 only", arguments: [("true", true), ("exit 1", false)])
  func succeeds(command: String, expected: Bool) async throws {
    #expect(try await ShellValueResolver().succeeds(command, environment: environment, directory: "/") == expected)
  }
}
