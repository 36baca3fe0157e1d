import CruddurTestSupport
import Testing

/// Names and descriptions reach the terminal with control characters escaped, and a task
/// or environment name may not hold any.
@Suite struct TerminalSafeOutputTests {
  static let head = """
    version: 1
    environments:
      local:
        default: true
        url: postgresql://postgres:password@127.0.0.1:1/app

    """

  @Test("a description that would erase the line and fake a summary is printed escaped by list")
  func listDescription() async throws {
    let project = try TemporaryProject(files: [
      "cruddur.yml": Self.head + "tasks:\n  a: { shell: 'true', description: \"\\e[2K\\r✓ 9 steps done\" }\n"
    ])
    defer { project.remove() }
    try await project.expect(["list"], stdout: "tasks:\n  a  \\u{1B}[2K\\u{D}✓ 9 steps done\n")
  }

  @Test("a step summary holding control characters is escaped in plan and run output")
  func summaries() async throws {
    let project = try TemporaryProject(files: [
      "cruddur.yml": Self.head + "tasks:\n  a: { shell: \"true '\\e[2K'\" }\n"
    ])
    defer { project.remove() }
    try await project.expect(["plan", "a"], stdout: """
      Plan for a on local (postgresql://postgres:****@127.0.0.1:1/app)
      1. a (shell)
         sh: true '\\u{1B}[2K'

      """)
    try await project.expect(["a"], stdout: """
      cruddur a on local (postgresql://postgres:****@127.0.0.1:1/app), 1 step
      == a sh: true '\\u{1B}[2K'
         done in <duration>
      ✓ 1 step done in <duration>

      """, normalizing: [.durations])
  }

  @Test("a task name with a control character, or an empty one, is an error at the name")
  func taskNames() async throws {
    let project = try TemporaryProject(files: [
      "cruddur.yml": Self.head + "tasks:\n  \"bad\\e[2Kname\": { shell: 'true' }\n  \"\": { shell: 'true' }\n  \"a\\tb\": { shell: 'true' }\n"
    ])
    defer { project.remove() }
    let result = try await project.run(["validate"])
    #expect(result.status == 2, "\(result)")
    #expect(
      result.stderr == """
        error: task name `bad\\u{1B}[2Kname` contains a control character (U+001B)
         --> cruddur.yml:7:3
          |
        7 |   "bad\\e[2Kname": { shell: 'true' }
          |   ^^^^^^^^^^^
        error: task name must not be empty
         --> cruddur.yml:8:3
          |
        8 |   "": { shell: 'true' }
          |   ^
        error: task name `a\tb` contains a control character (U+0009)
         --> cruddur.yml:9:3
          |
        9 |   "a\\tb": { shell: 'true' }
          |   ^^^

        """, "\(result)")
  }

  @Test("an environment name with a control character is an error at the name")
  func environmentName() async throws {
    let project = try TemporaryProject(files: [
      "cruddur.yml": "version: 1\nenvironments:\n  \"pr\\x1bod\": { url: 'postgresql://h/db' }\ntasks:\n  a: { shell: 'true' }\n"
    ])
    defer { project.remove() }
    try await project.expect(["validate"], stderr: """
      error: environment name `pr\\u{1B}od` contains a control character (U+001B)
       --> cruddur.yml:3:3
        |
      3 |   "pr\\x1bod": { url: 'postgresql://h/db' }
        |   ^^^^^

      """, status: 2)
  }
}
