import CruddurTestSupport
import Testing

/// Every name a user types is checked against what exists, with the same suggestion engine.
@Suite struct DidYouMeanTests {
  static let files = [
    "cruddur.yml": """
    version: 1
    environments:
      local: { default: true, url: "postgresql://postgres:pw@127.0.0.1:1/app" }
      staging: { url: "postgresql://postgres:pw@127.0.0.1:1/staging" }
    tasks:
      db:setup: { description: Set up, shell: echo setup }
      notes:add: { params: [body], shell: echo "$body" }
    """
  ]

  @Test(
    "a typo gets the closest name, exactly once",
    arguments: [
      (["lsit"], "error: unknown command or task `lsit`\n = help: did you mean `list`?\n"),
      (["valdiate"], "error: unknown command or task `valdiate`\n = help: did you mean `validate`?\n"),
      (["setup"], "error: unknown task `setup`\n = help: did you mean `db:setup`?\n"),
      (["db:stup"], "error: unknown task `db:stup`\n = help: did you mean `db:setup`?\n"),
      (["plan", "setup"], "error: unknown task `setup`\n = help: did you mean `db:setup`?\n"),
      (["db:setup", "-e", "lcoal"], "error: unknown environment `lcoal`\n = help: did you mean `local`?\n"),
      (["plan", "db:setup", "-e", "stagin"], "error: unknown environment `stagin`\n = help: did you mean `staging`?\n"),
    ])
  func typo(_ arguments: [String], _ expected: String) async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    let result = try await project.run(arguments)
    #expect(result.status == 2, "\(result)")
    #expect(result.stderr == expected, "\(arguments)")
    #expect(result.stdout.isEmpty)
  }

  @Test("a command typo outside any project still gets its suggestion")
  func commandTypoWithoutProject() async throws {
    let project = try TemporaryProject(files: [:])
    defer { project.remove() }
    let result = try await project.run(["lsit"])
    #expect(result.status == 2)
    #expect(result.stderr == "error: unknown command or task `lsit`\n = help: did you mean `list`?\n", "\(result)")
  }

  @Test("--set with a near-miss of a known variable is an error with the name; an unrelated name is one too")
  func setVariable() async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    try await project.expect(
      ["notes:add", "hi", "--set", "bdoy=x"],
      stderr: """
        error: `--set bdoy` names a variable nothing reads: no task, variable or executor of this project uses it
         = help: did you mean `body`?

        """, status: 2)
    let unrelated = try await project.run(["notes:add", "hi", "--set", "AWS_ENDPOINT=x"])
    #expect(unrelated.status == 2, "\(unrelated)")
    #expect(unrelated.stdout.isEmpty, "\(unrelated)")
  }
}

/// A huge unknown word is rejected as fast as it is read: the suggestion engine skips what
/// its length alone puts out of reach (it once took 52 s for 100,000 characters).
@Suite struct HugeUnknownWordTests {
  @Test(
    "a megabyte task name in a config and a long one on the command line are rejected, with no suggestion"
  )
  func hugeWords() async throws {
    let huge = String(repeating: "q", count: 1 << 20)
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local: { default: true, url: "postgresql://postgres:pw@127.0.0.1:1/app" }
      tasks:
        db:setup: { description: Set up, shell: echo setup, deps: [\(huge)] }
      """
    ])
    defer { project.remove() }
    let validate = try await project.run(["validate"])
    #expect(validate.status == 2)
    // Compared by prefix and flags: a failure must not print a megabyte.
    #expect(validate.stderr.hasPrefix("error: unknown task `qqqq"))
    #expect(Bool(validate.stderr.contains(huge)))
    #expect(!validate.stderr.contains("did you mean"))
    // One argument may hold at most 128 KiB on Linux (MAX_ARG_STRLEN).
    let long = String(repeating: "q", count: 120_000)
    let plain = try TemporaryProject(files: DidYouMeanTests.files)
    defer { plain.remove() }
    let run = try await plain.run([long])
    #expect(run.status == 2)
    let expected = "error: unknown task `\(long)`\n = help: `cruddur list` shows the tasks\n"
    #expect(Bool(run.stderr == expected), "\(run.stderr.prefix(100)) … \(run.stderr.suffix(100))")
  }
}
