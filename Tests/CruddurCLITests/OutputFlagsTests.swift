import CruddurTestSupport
import Testing

/// `-v` and `-q` exist only where they change the output; elsewhere they are unknown
/// options naming the commands that take them, never silently ignored.
@Suite struct OutputFlagsTests {
  static let files = [
    "cruddur.yml": """
    version: 1
    environments:
      local: { default: true, url: "postgresql://postgres:pw@127.0.0.1:1/app" }
    tasks:
      hello: { shell: echo hello }
    """
  ]

  @Test(
    "commands whose output -v and -q would not change refuse them",
    arguments: [
      (["list", "-q"], "-q"), (["list", "--verbose"], "--verbose"), (["plan", "hello", "-v"], "-v"),
      (["plan", "hello", "--quiet"], "--quiet"), (["envs", "-v"], "-v"), (["graph", "-q"], "-q"),
      (["local", "status", "-q"], "-q"), (["validate", "-v"], "-v"),
    ])
  func refused(_ arguments: [String], _ flag: String) async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    let result = try await project.run(arguments)
    #expect(result.status == 2, "\(arguments)\n\(result)")
    #expect(result.stdout.isEmpty, "\(arguments)")
    let lines = result.stderr.split(separator: "\n").map(String.init)
    #expect(lines.first == "error: unknown option `\(flag)`", "\(arguments)\n\(result)")
    let takers = flag.contains("q") ? "`run`, `apply`, `validate` and `connect`" : "`run`, `apply` and `connect`"
    #expect(lines.dropFirst().first == " = help: `\(flag)` is an option of \(takers)", "\(arguments)\n\(result)")
  }

  @Test("run keeps -q and -v; validate keeps -q")
  func kept() async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    let quiet = try await project.run(["hello", "-q"])
    #expect(quiet.status == 0, "\(quiet)")
    #expect(quiet.stdout.hasPrefix("✓ 1 step done in "), "\(quiet)")
    let verbose = try await project.run(["hello", "-v"])
    #expect(verbose.stdout.contains("\n+ echo hello\nhello\n"), "\(verbose)")
    let validate = try await project.run(["validate", "-q"])
    #expect(validate.status == 0 && validate.stdout.isEmpty && validate.stderr.isEmpty, "\(validate)")
  }
}
