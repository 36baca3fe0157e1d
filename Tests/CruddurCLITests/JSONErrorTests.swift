import CruddurTestSupport
import Foundation
import Testing

/// With `--format json`, whatever ends a command is one JSON object on stdout with
/// `error_kind`, `message`, `hint` and `exit_code`, and nothing on stderr: a config error,
/// a usage error (the parser's), a refusal.
@Suite struct JSONErrorTests {
  static let files = [
    "cruddur.yml": """
    version: 1
    environments:
      local: { default: true, url: "postgresql://postgres:pw@127.0.0.1:1/app" }
      prod: { url: "postgresql://postgres:pw@127.0.0.1:1/prod", protected: true }
    tasks:
      sg:allow: { description: Allow me, requires: [SG_ID], shell: echo "$SG_ID" }
      db:drop: { database: drop }
    """
  ]

  @Test(
    "each error is one object, the same keys every time",
    arguments: [
      (
        ["sg:allow", "--format", "json"],
        #"{"column":3,"error_kind":"requiredVariablesUnset","event":"error","exit_code":2,"file":"cruddur.yml","hint":"set it in the environment or with `--set NAME=value`","line":6,"message":"task `sg:allow` requires `SG_ID`, which is not set"}"#
      ),
      (
        ["nope", "--format", "json"],
        #"{"error_kind":"unknownInvokedTask","event":"error","exit_code":2,"hint":"`cruddur list` shows the tasks","message":"unknown task `nope`"}"#
      ),
      (
        ["list", "--frmat", "text", "--format", "json"],
        #"{"error_kind":"usage","event":"error","exit_code":2,"hint":"did you mean `--format`?","message":"unknown option `--frmat`"}"#
      ),
      (
        ["db:drop", "-e", "prod", "--format", "json"],
        #"{"error_kind":"consentRequired","event":"error","exit_code":3,"hint":"pass --yes, or run it on a terminal and type 'prod'","message":"refused: prod is protected: step 1 needs consent (--yes or type 'prod'); nothing was run"}"#
      ),
      (
        ["plan", "sg:allow", "--set", "SG_IDD=1", "--format=json"],
        #"{"error_kind":"unreadSetVariable","event":"error","exit_code":2,"hint":"did you mean `SG_ID`?","message":"`--set SG_IDD` names a variable nothing reads: no task, variable or executor of this project uses it"}"#
      ),
    ])
  func oneObject(_ arguments: [String], _ expected: String) async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    let result = try await project.run(arguments)
    #expect(result.stdout == expected + "\n", "\(result)")
    #expect(result.stderr == "", "\(result)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result)")
    #expect(object["exit_code"] as? Int == Int(result.status))
    #expect(Set(["error_kind", "message", "hint", "exit_code"]).isSubset(of: Set(object.keys)))
  }

  @Test("without --format json the same errors stay text on stderr")
  func textStaysText() async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    let result = try await project.run(["nope"])
    #expect(result.stdout == "" && result.stderr.hasPrefix("error: unknown task `nope`\n"), "\(result)")
  }
}
