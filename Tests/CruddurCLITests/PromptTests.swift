import CruddurTestSupport
import Foundation
import Testing

/// Questions asked on the terminal, answered on a real pseudo-terminal.
@Suite struct PromptTests {
  /// Eight times over: the handler and the pending-signal check race, and under load both
  /// used to print `cancelled`; once is the promise.
  @Test("Ctrl-C at the consent prompt prints cancelled once, on its own line, runs nothing and exits 130", arguments: 0..<8)
  func interruptAtConsent(_ attempt: Int) async throws {
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        prod: { default: true, protected: true, url: "postgresql://postgres:pw@127.0.0.1:1/app" }
      tasks:
        zap: { destructive: true, shell: touch zapped }
      """
    ])
    defer { project.remove() }
    let answer = RepositoryFiles.root + "/Tests/Fixtures/pty/answer.py"
    let result = try await CruddurBinary.runProgram(
      "/usr/bin/env", ["python3", answer, "to continue: ", "\u{03}", CruddurBinary.path, "zap"], in: project.path)
    #expect(result.status == 130, "\(result)")
    #expect(result.stdout.contains("Type 'prod' to continue: "), "\(result)")
    #expect(result.stdout.hasSuffix("\r\ncancelled\r\n"), "\(result)")
    result.expect(
      stdout: """
        prod is protected: step 1 needs consent (--yes or type 'prod'). On postgresql://postgres:****@127.0.0.1:1/app:\r
          1. zap: sh: touch zapped\r
        Type 'prod' to continue: ^C\r
        \r
        cancelled\r

        """, status: 130)
    #expect(!FileManager.default.fileExists(atPath: project.path + "/zapped"))
  }

  /// The prompt takes Ctrl-C as a key while it waits; whatever ends it, the terminal's
  /// keys must be as they were, or the user's shell loses Ctrl-C.
  @Test("a signal at the prompt (INT sent by kill, TERM, HUP): the terminal's keys as they were, nothing run", arguments: [SIGINT, SIGTERM, SIGHUP])
  func signalAtConsent(_ signalNumber: Int32) async throws {
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        prod: { default: true, protected: true, url: "postgresql://postgres:pw@127.0.0.1:1/app" }
      tasks:
        zap: { destructive: true, shell: touch zapped }
      """
    ])
    defer { project.remove() }
    let script = RepositoryFiles.root + "/Tests/Fixtures/pty/signal_at_prompt.py"
    let result = try await CruddurBinary.runProgram(
      "/usr/bin/env", ["python3", script, "to continue: ", "\(signalNumber)", CruddurBinary.path, "zap"], in: project.path)
    #expect(result.status == (signalNumber == SIGINT ? 130 : 128 + signalNumber), "\(result)")
    #expect(result.stdout.hasSuffix("\nintr=3 eol=0\n"), "\(result)")
    if signalNumber == SIGINT { #expect(result.stdout.contains("\r\ncancelled\r\n"), "\(result)") }
    #expect(!FileManager.default.fileExists(atPath: project.path + "/zapped"))
  }
}
