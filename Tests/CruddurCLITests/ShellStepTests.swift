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
      let result = try await project.run(["greet", "--set", "NAME=\(value)"])
      #expect(result.status == 0, "\(result)")
      #expect(result.stdout.contains("hello \(value)"))
      let computed = try await project.run(["computed"], environment: ["SEED": value])
      #expect(computed.stdout.contains("got \(value)"), "\(computed)")
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
    let result = try await project.run(["env"])
    #expect(result.status == 0, "\(result)")
    #expect(result.stdout.contains("local hi there"))
    #expect(result.stdout.contains("postgresql://app:****@127.0.0.1:1/appdb"))
    #expect(!result.output.contains("Pw-shell-77"))
  }

  @Test("a failing command's exit code is shown and the run exits 1")
  func exitCodeShown() async throws {
    let project = try shellProject("tasks:\n  fail: { shell: 'echo before; exit 7' }\n")
    defer { project.remove() }
    let result = try await project.run(["fail"])
    #expect(result.status == 1)
    #expect(result.stdout.contains("before"))
    #expect(result.stderr.contains("== fail failed after"))
    #expect(result.stderr.contains("exit status 7"))
    #expect(result.stdout.contains("failed: fail"))
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
    let skipped = try await project.run(["once"], environment: ["DONE": "1"])
    #expect(skipped.status == 0)
    #expect(skipped.stdout.contains("== once skipped"), "\(skipped)")
    #expect(!skipped.stdout.contains("\nran\n"))
    #expect(skipped.stdout.contains("1 skipped"))
    let ran = try await project.run(["once"])
    #expect(ran.stdout.contains("\nran\n"), "\(ran)")
    let plan = try await project.run(["plan", "once"])
    #expect(plan.stdout.contains("checked at run time"), "\(plan)")
    #expect(plan.stdout.contains("STAMP: computed at run time"))
  }

  @Test("timeout: stops the step and names it")
  func timeout() async throws {
    let project = try shellProject("tasks:\n  slow: { shell: 'sleep 30', timeout: 0.5 }\n")
    defer { project.remove() }
    let result = try await project.run(["slow"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("timed out after 0.5 s"), "\(result)")
  }

  @Test("-v shows the command as it starts; --format json prints one event object per line")
  func verboseAndJSON() async throws {
    let project = try shellProject("tasks:\n  hello: { shell: 'echo hi; exit 3' }\n")
    defer { project.remove() }
    let verbose = try await project.run(["hello", "-v"])
    #expect(verbose.stdout.contains("+ echo hi; exit 3"), "\(verbose)")
    let json = try await project.run(["hello", "--format", "json"])
    #expect(json.status == 1)
    let events = try json.stdout.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    #expect(events.map { $0["event"] as? String } == ["run_started", "step_started", "step_output", "step_failed", "run_finished"])
    #expect(events[2]["line"] as? String == "hi")
    #expect(events[3]["exit_code"] as? Int == 3)
    #expect(events[4]["outcome"] as? String == "failed")
    #expect((events[0]["target"] as? String)?.contains("****") == true)
  }
}
