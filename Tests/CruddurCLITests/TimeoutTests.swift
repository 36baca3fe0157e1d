import CruddurTestSupport
import Testing

/// `timeout:` is checked when the file is read: a duration, more than 0, at most a week.
@Suite struct TimeoutTests {
  static func project(_ timeout: String) throws -> TemporaryProject {
    try TemporaryProject(files: [
      "cruddur.yml": """
        version: 1
        environments:
          local:
            default: true
            url: postgresql://postgres:password@127.0.0.1:1/app
        tasks:
          slow: { shell: 'sleep 30', timeout: \(timeout) }

        """
    ])
  }

  @Test("a timeout too large to keep is exit 2 at its place, for validate and for a run (no crash)")
  func tooLarge() async throws {
    let project = try Self.project("99999999999999999999")
    defer { project.remove() }
    for arguments in [["validate"], ["slow"]] {
      let result = try await project.run(arguments)
      #expect(result.status == 2, "\(arguments) \(result)")
      #expect(
        result.stderr == """
          error: `timeout` must be at most a week (604800 seconds), found `99999999999999999999`
           --> cruddur.yml:7:39
            |
          7 |   slow: { shell: 'sleep 30', timeout: 99999999999999999999 }
            |                                       ^^^^^^^^^^^^^^^^^^^^

          """, "\(arguments) \(result)")
    }
  }

  @Test(
    "zero, negative, infinite and unreadable timeouts are each named",
    arguments: [
      ("0", "`timeout` must be more than 0 seconds, found `0`"),
      ("-5s", "`timeout` must be more than 0 seconds, found `-5s`"),
      (".inf", "`timeout` must be a duration such as `90s`, `2m`, `1h30m` or `500ms`, or a number of seconds; found `.inf`"),
      ("soon", "`timeout` must be a duration such as `90s`, `2m`, `1h30m` or `500ms`, or a number of seconds; found `soon`"),
      ("8d", "`timeout` must be a duration such as `90s`, `2m`, `1h30m` or `500ms`, or a number of seconds; found `8d`"),
      ("169h", "`timeout` must be at most a week (604800 seconds), found `169h`"),
    ])
  func refused(_ timeout: String, _ message: String) async throws {
    let project = try Self.project(timeout)
    defer { project.remove() }
    let result = try await project.run(["validate"])
    #expect(result.status == 2, "\(result)")
    #expect(result.stderr.hasPrefix("error: \(message)\n --> cruddur.yml:7:39\n"), "\(result)")
  }

  @Test("durations with units are accepted and shown in seconds in the plan")
  func units() async throws {
    let project = try Self.project("1h30m")
    defer { project.remove() }
    try await project.expect(["plan", "slow"], stdout: """
      Plan for slow on local (postgresql://postgres:****@127.0.0.1:1/app)
      1. slow (shell)
         sh: sleep 30
         timeout: 5400 s

      """)
  }

  @Test("a timeout in milliseconds stops the step")
  func milliseconds() async throws {
    let project = try Self.project("300ms")
    defer { project.remove() }
    try await project.expect(["slow"], stdout: """
      cruddur slow on local (postgresql://postgres:****@127.0.0.1:1/app), 1 step
      == slow sh: sleep 30
      ✗ run failed after <duration>: 0 done; failed: slow

      """, stderr: """
      == slow failed after <duration>
      error: timed out after 0.3 s; the step was stopped and its transaction, if any, rolled back

      """, status: 1, normalizing: [.durations])
  }
}
