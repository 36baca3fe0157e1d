import CruddurTestSupport
import Foundation
import Testing

/// A project of shell tasks; the environment's URL is never connected to by shell steps.
func shellProject(_ tasks: String) throws -> TemporaryProject {
  try TemporaryProject(files: [
    "cruddur.yml": """
    version: 1
    environments:
      local: { default: true, url: "postgresql://app:Pw-shell-77@127.0.0.1:1/appdb" }
    include: [tasks/*.yml]
    """,
    "tasks/t.yml": tasks,
  ])
}

@Suite struct ShellStepTests {
  @Test("a value like $(touch FILE) or \"; rm -rf ~ reaches the command as data, never as code")
  func injectionIsInert() async throws {
    let marker = FileManager.default.temporaryDirectory.path + "/cruddur-pwned-\(UUID().uuidString)"
    let project = try shellProject(
      """
      tasks:
        greet: { shell: 'printf "%s\\n" "hello $NAME"' }
        computed:
          vars: { NAME: { sh: "printf '%s' \\"$SEED\\"" } }
          shell: 'printf "%s\\n" "got $NAME"'
      """)
    defer { project.remove() }
    for value in ["$(touch \(marker))", "\"; touch \(marker); echo \"", "`touch \(marker)`"] {
      try await project.expect(
        ["greet", "--set", "NAME=\(value)"],
        stdout: """
          cruddur greet on local (postgresql://app:****@127.0.0.1:1/appdb), 1 step
          == greet sh: printf "%s\\n" "hello $NAME"
          hello \(value)
             done in <duration>
          ✓ 1 step done in <duration>

          """, normalizing: [.durations])
      try await project.expect(
        ["computed"], environment: ["SEED": value],
        stdout: """
          cruddur computed on local (postgresql://app:****@127.0.0.1:1/appdb), 1 step
          == computed sh: printf "%s\\n" "got $NAME"
          got \(value)
             done in <duration>
          ✓ 1 step done in <duration>

          """, normalizing: [.durations])
    }
    #expect(!FileManager.default.fileExists(atPath: marker))
  }

  @Test("shell steps get DATABASE_URL and CRUDDUR_ENV; the password never reaches the output")
  func environmentVariables() async throws {
    let project = try shellProject(
      """
      tasks:
        env:
          env: { GREETING: "hi ${WHO:-there}" }
          shell: 'echo "$CRUDDUR_ENV $GREETING"; echo "$DATABASE_URL"'
      """)
    defer { project.remove() }
    try await project.expect(["env"], stdout: """
      cruddur env on local (postgresql://app:****@127.0.0.1:1/appdb), 1 step
      == env sh: echo "$CRUDDUR_ENV $GREETING"; echo "$DATABASE_URL"
      local hi there
      postgresql://app:****@127.0.0.1:1/appdb
         done in <duration>
      ✓ 1 step done in <duration>

      """, normalizing: [.durations])
  }

  @Test("a failing command's exit code is shown and the run exits 1")
  func exitCodeShown() async throws {
    let project = try shellProject("tasks:\n  fail: { shell: 'echo before; exit 7' }\n")
    defer { project.remove() }
    try await project.expect(["fail"], stdout: """
      cruddur fail on local (postgresql://app:****@127.0.0.1:1/appdb), 1 step
      == fail sh: echo before; exit 7
      before
      ✗ run failed after <duration>: 0 done; failed: fail

      """, stderr: """
      == fail failed after <duration>, exit status 7
      error: the command exited with status 7

      """, status: 1, normalizing: [.durations])
  }

  @Test("unless: { sh: } that exits 0 skips the step; otherwise it runs; plan says checked at run time")
  func unlessShell() async throws {
    let project = try shellProject(
      """
      tasks:
        once:
          unless: { sh: 'test -n "$DONE"' }
          vars: { STAMP: { sh: date +%s } }
          shell: echo ran
      """)
    defer { project.remove() }
    try await project.expect(["once"], environment: ["DONE": "1"], stdout: """
      cruddur once on local (postgresql://app:****@127.0.0.1:1/appdb), 1 step
      == once sh: echo ran
      == once skipped: `test -n "$DONE"` exited 0
      ✓ 0 steps done, 1 skipped in <duration>

      """, normalizing: [.durations])
    try await project.expect(["once"], stdout: """
      cruddur once on local (postgresql://app:****@127.0.0.1:1/appdb), 1 step
      == once sh: echo ran
      ran
         done in <duration>
      ✓ 1 step done in <duration>

      """, normalizing: [.durations])
    try await project.expect(["plan", "once"], stdout: """
      Plan for once on local (postgresql://app:****@127.0.0.1:1/appdb)
      1. once (shell)
         sh: echo ran
         STAMP: computed at run time (sh: date +%s)
         unless `test -n "$DONE"` exits 0: checked at run time

      """)
  }

  @Test("timeout: stops the step and names it")
  func timeout() async throws {
    let project = try shellProject("tasks:\n  slow: { shell: 'sleep 30', timeout: 0.5 }\n")
    defer { project.remove() }
    try await project.expect(["slow"], stdout: """
      cruddur slow on local (postgresql://app:****@127.0.0.1:1/appdb), 1 step
      == slow sh: sleep 30
      ✗ run failed after <duration>: 0 done; failed: slow

      """, stderr: """
      == slow failed after <duration>
      error: timed out after 0.5 s; the step was stopped and its transaction, if any, rolled back

      """, status: 1, normalizing: [.durations])
  }

  @Test("-v shows the command as it starts; --format json prints one event object per line")
  func verboseAndJSON() async throws {
    let project = try shellProject("tasks:\n  hello: { shell: 'echo hi; exit 3' }\n")
    defer { project.remove() }
    try await project.expect(["hello", "-v"], stdout: """
      cruddur hello on local (postgresql://app:****@127.0.0.1:1/appdb), 1 step
      == hello sh: echo hi; exit 3
      + echo hi; exit 3
      hi
      ✗ run failed after <duration>: 0 done; failed: hello

      """, stderr: """
      == hello failed after <duration>, exit status 3
      error: the command exited with status 3

      """, status: 1, normalizing: [.durations])
    let json = try await project.run(["hello", "--format", "json"])
    json.expect(stdout: """
      {"environment":"local","event":"run_started","steps":1,"target":"postgresql://app:****@127.0.0.1:1/appdb","tasks":["hello"],"time":"<time>","version":1}
      {"event":"step_started","executor":"shell","step":1,"summary":"sh: echo hi; exit 3","task":"hello","time":"<time>"}
      {"event":"step_output","line":"hi","step":1,"stream":"stdout","task":"hello","time":"<time>"}
      {"duration_ms":0,"errors":["the command exited with status 3"],"event":"step_failed","exit_code":3,"step":1,"task":"hello","time":"<time>"}
      {"duration_ms":0,"event":"run_finished","outcome":"failed","steps":[{"duration_ms":0,"outcome":"failed","step":1,"task":"hello"}],"time":"<time>"}

      """, status: 1, normalizing: [.jsonTimes])
    // Every line is one JSON object.
    for line in json.stdout.split(separator: "\n") {
      #expect(try JSONSerialization.jsonObject(with: Data(line.utf8)) is [String: Any], "\(line)")
    }
  }
}
