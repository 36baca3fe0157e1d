import CruddurTestSupport
import Foundation
import Testing

/// Hints that lead somewhere: `help TASK` shows a task's steps even where its variables are
/// not set (and lists them), a saved plan of another format says what it found and wants.
@Suite struct HelpHintsTests {
  @Test("help on a task whose required variables are unset shows its steps and what is missing")
  func helpWithUnsetVariables() async throws {
    let project = try TypedWordsTests.project()
    defer { project.remove() }
    try await project.expect(
      ["help", "aws:sg-allow-me"], environment: TypedWordsTests.environment,
      stdout: """
        aws:sg-allow-me: Let this machine's IP reach the database (the security-group rule to MY_IP/32)
        declared at tasks/aws.yml:6:3

        usage: cruddur aws:sg-allow-me
        executor: shell

        runs, in order (planned on local):
          1. aws:sg-allow-me  shell  sh: 18-line script

        not set here: `DB_SG_ID`, `DB_SG_RULE_ID` (shown as <NAME>); set in the environment or with `--set NAME=value` to run

        needs consent on: no environment

        """)
    // Set, nothing is missing and nothing is said about it.
    let set = try await project.run(
      ["help", "aws:sg-allow-me"],
      environment: TypedWordsTests.environment.merging(["DB_SG_ID": "sg-1", "DB_SG_RULE_ID": "sgr-1"]) { a, _ in a })
    #expect(set.status == 0 && !set.stdout.contains("not set here"), "\(set)")
  }

  @Test("a saved plan of another format: what it says, and what this cruddur reads")
  func otherFormat() async throws {
    let project = try TypedWordsTests.project()
    defer { project.remove() }
    let saved = try await project.run(
      ["plan", "db:sessions", "--out", "sessions.plan.json"], environment: TypedWordsTests.environment)
    #expect(saved.status == 0, "\(saved)")
    let path = project.path + "/sessions.plan.json"
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.contains("\"format\" : \"cruddur-plan\""), "\(text)")
    try text.replacingOccurrences(of: "\"format\" : \"cruddur-plan\"", with: "\"format\" : \"other-plan\"")
      .write(toFile: path, atomically: true, encoding: .utf8)
    try await project.expect(
      ["apply", "sessions.plan.json"], environment: TypedWordsTests.environment,
      stderr: """
        error: `sessions.plan.json` is not a plan this cruddur reads: it says format `other-plan` version 2; this cruddur reads format `cruddur-plan` version 2
         = help: make the plan again with this cruddur: `cruddur plan TASK --out sessions.plan.json`

        """, status: 2)
    for (text, found) in [
      ("[1, 2]\n", "it is not a JSON object"), ("{\"tasks\": []}\n", "it is JSON without a `format` field"),
      ("{\"format\": \"cruddur-plan\", \"version\": 2}\n",
       "it says format `cruddur-plan` version 2 but its fields do not match it"),
    ] {
      try text.write(toFile: path, atomically: true, encoding: .utf8)
      try await project.expect(
        ["apply", "sessions.plan.json"], environment: TypedWordsTests.environment,
        stderr: """
          error: `sessions.plan.json` is not a saved cruddur plan: \(found)
           = help: a saved plan is JSON with format `cruddur-plan`, made by `cruddur plan TASK --out sessions.plan.json`

          """, status: 2)
    }
    try "{\"format\": \"cruddur-plan\", \"version\": 3}\n".write(toFile: path, atomically: true, encoding: .utf8)
    let newer = try await project.run(["apply", "sessions.plan.json"], environment: TypedWordsTests.environment)
    #expect(
      newer.stderr.hasPrefix(
        "error: `sessions.plan.json` is not a plan this cruddur reads: it says format `cruddur-plan` version 3; "
          + "this cruddur reads format `cruddur-plan` version 2\n"), "\(newer)")
  }
}
