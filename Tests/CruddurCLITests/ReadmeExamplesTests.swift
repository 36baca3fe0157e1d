import CruddurTestSupport
import Foundation
import Testing

/// Every block of README.md and docs/*.md that shows `$ cruddur …` with output is run here, in
/// the setup its `<!-- example: NAME -->` comment names (`DocExampleSetup`), against this
/// suite's own PostgreSQL, and the whole session (each `$ command` line, then what it printed,
/// stdout and stderr as a terminal interleaves them) must be the block's text after the
/// setup's named substitutions, applied to both sides. A line `exit N` after a command's
/// output is its exit status; a line `...` stands for lines left out (any number).
@Suite(.postgresCluster, .serialized) struct ReadmeExamplesTests {
  /// The documents whose examples are run.
  static let documents = ["README.md"] + docs()

  static func docs() -> [String] {
    let names =
      (try? FileManager.default.contentsOfDirectory(atPath: RepositoryFiles.root + "/docs")) ?? []
    return names.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
  }

  /// Blocks that are not run, as `FILE: first command`, with the reason. Keep this short: an
  /// example belongs here only when a test cannot reproduce its output line for line.
  static let exempt: [String: String] = [
    "README.md: cruddur plan db:migrate -e prod --check":
      "how many lock timeouts and retries happen depends on when the other session commits; LockTimeoutTests drives a holder"
  ]

  static func allExamples() throws -> [DocExample] {
    try documents.flatMap { file in
      DocExample.examples(in: try RepositoryFiles.read(file), file: file)
    }
  }

  static func exemptKey(_ example: DocExample) -> String {
    "\(example.file): \(example.firstCommand)"
  }

  @Test(
    "every documentation block with `$ cruddur` and output names its setup, or is exempt with a reason"
  )
  func everyBlockIsMarked() throws {
    let examples = try Self.allExamples().filter(\.showsOutput)
    #expect(examples.count >= 23, "README.md and docs/ have their examples")
    for example in examples
    where example.setup == nil && Self.exempt[Self.exemptKey(example)] == nil {
      Issue.record(
        "\(example): `$ \(example.firstCommand)` has no `<!-- example: SETUP -->` line before its fence"
      )
    }
    for example in examples
    where example.setup != nil && Self.exempt[Self.exemptKey(example)] != nil {
      Issue.record("\(example): `$ \(example.firstCommand)` is both marked and exempt")
    }
    // An exemption names exactly one unmarked block: none left stale, none covering two.
    for key in Self.exempt.keys {
      let covered = examples.filter { $0.setup == nil && Self.exemptKey($0) == key }
      #expect(covered.count == 1, "the exemption `\(key)` covers \(covered.count) blocks")
    }
  }

  @Test("each example prints what the documentation shows")
  func examplesRun() async throws {
    for example in try Self.allExamples() where example.showsOutput {
      guard example.setup != nil else { continue }
      do {
        if let difference = try await Self.difference(example) {
          Issue.record(Comment(rawValue: difference))
        }
      } catch {
        Issue.record(error, "\(example) (`\(example.setup ?? "")`)")
      }
    }
  }

  /// The runner is not a test that passes whatever the documentation says: one output line
  /// changed is reported, in a block that needs no server, in one that loads a database and
  /// in bash's completion list.
  @Test(
    "a documented output line that is not what cruddur prints is reported",
    arguments: [
      (
        "README.md", "cruddur list",
        "  db:create                                 Create the database"
      ),
      (
        "README.md", "cruddur plan db:setup -e prod --out setup.plan.json",
        "NOTICE:  table \"users\" does not exist, skipping"
      ),
      ("docs/json.md", "cruddur db:drop -e prod --format json", nil),
      (
        "README.md", "cruddur db:<TAB><TAB>",
        "drop            prepare         seed            setup"
      ),
    ])
  func editedLineFails(_ file: String, _ command: String, _ line: String?) async throws {
    let example = try #require(
      try Self.allExamples().first {
        $0.file == file && $0.firstCommand == command && $0.setup != nil
      })
    var text = example.text
    let index = try #require(line.map { text.firstIndex(of: $0) } ?? text.indices.last)
    text[index] = text[index].replacingOccurrences(of: "e", with: "E")
    #expect(text[index] != example.text[index])
    let edited = DocExample(
      file: example.file, line: example.line, setup: example.setup, text: text)
    #expect(try await Self.difference(example) == nil, "the block as written passes")
    let difference = try #require(try await Self.difference(edited), "the edited line is reported")
    #expect(difference.contains("- " + text[index]), "\(difference)")
  }

  /// Nil when the example prints what it shows; otherwise the line diff, to report.
  static func difference(_ example: DocExample) async throws -> String? {
    let name = example.setup ?? ""
    if name == "bash-completion" { return try await BashCompletionExample.difference(example) }
    guard let setup = try await DocExampleSetup.named(name, cluster: TestCluster.required) else {
      return "\(example): no setup is named `\(name)` (see DocExampleSetup.named)"
    }
    defer { setup.project.remove() }
    let result = try await Self.run(example, in: setup)
    let expected = setup.substitutions.reduce(example.text.joined(separator: "\n") + "\n") {
      $1.apply($0)
    }
    let actual = setup.substitutions.reduce(result) { $1.apply($0) }
    guard !Self.matches(expected: expected, actual: actual) else { return nil }
    return "\(example) (`\(name)`) differs (- documented, + printed):\n"
      + (OutputDiff.render(expected: expected, actual: actual) ?? "")
      + "\n(both rewritten first: \(setup.substitutions.map(\.description).joined(separator: "; ")))"
  }

  /// Runs the block as one shell session in the setup's project; returns everything printed.
  static func run(_ example: DocExample, in setup: DocExampleSetup) async throws -> String {
    let items = example.items(narrations: Set(setup.narrations.keys))
    // `status` carries each command's exit status past the lines the session prints between
    // commands, so `$ echo $?` shows the previous command's.
    var script = "exec 2>&1\nstatus=0\n"
    var commandIndex = 0
    for item in items {
      switch item {
      case .command(let command, let output):
        if let hidden = setup.before[commandIndex] {
          script +=
            "{\n\(hidden)\n} >/dev/null 2>&1 || echo \(shellQuoted("the setup before this command failed: " + hidden))\n"
        }
        script += "printf '%s\\n' \(shellQuoted("$ " + command))\n"
        var run = command
        for (documented, actual) in setup.commandRewrites {
          run = run.replacingOccurrences(of: documented, with: actual)
        }
        script += "(exit $status)\n" + run + "\nstatus=$?\n"
        if let last = output.last,
          last.range(of: #"^exit \d+$"#, options: .regularExpression) != nil
        {
          script += "echo \"exit $status\"\n"
        }
        commandIndex += 1
      case .narration(let text):
        script += "printf '%s\\n' \(shellQuoted("-- " + text))\n"
        script +=
          "{\n\(setup.narrations[text] ?? "false")\n} >/dev/null 2>&1 || echo 'this narration failed'\n"
      }
    }
    if !setup.after.isEmpty { script += "{\n\(setup.after)\n} >/dev/null 2>&1\n" }
    var environment = setup.environment
    let binaries = URL(fileURLWithPath: CruddurBinary.path).deletingLastPathComponent().path
    environment["PATH"] =
      binaries + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    defer { setup.stop() }
    let result = try await CruddurBinary.runProgram(
      "/bin/sh", ["-c", script], in: setup.project.path, environment: environment)
    if !setup.teardown.isEmpty {
      _ = try await CruddurBinary.runProgram(
        "/bin/sh", ["-c", setup.teardown], in: setup.project.path, environment: environment)
    }
    return result.stdout + result.stderr
  }

  static func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
  }

  /// Equal, except that a documented line `...` stands for one or more printed lines.
  static func matches(expected: String, actual: String) -> Bool {
    let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
    guard want.contains("...") else { return expected == actual }
    let got = actual.split(separator: "\n", omittingEmptySubsequences: false)
    func match(_ i: Int, _ j: Int) -> Bool {
      if i == want.count { return j == got.count }
      if want[i] == "..." {
        // Any number of lines left out; try every length.
        return (j...got.count).contains { match(i + 1, $0) }
      }
      return j < got.count && want[i] == got[j] && match(i + 1, j + 1)
    }
    return match(0, 0)
  }
}

/// The completion example (`$ cruddur db:<TAB><TAB>`): each line is typed into a new
/// interactive bash in an 80-column terminal (tmux) that loads the completions as installed,
/// in this repository's project, with Tab twice; what bash lists is compared line for line.
enum BashCompletionExample {
  static func difference(_ example: DocExample) async throws -> String? {
    let machine = try CompletionShellsTests.install(
      try TemporaryProject(files: try DocExampleSetup.repositoryFiles()))
    defer { machine.project.remove() }
    var printed: [String] = []
    for case .command(let command, _) in example.items(narrations: []) {
      guard command.hasSuffix("<TAB><TAB>") else {
        return "\(example): `\(command)` does not end in <TAB><TAB>"
      }
      let line = String(command.dropLast("<TAB><TAB>".count))
      let tmux = try TmuxSession(
        "bash --rcfile \(machine.root)/etc/bash.bashrc -i", columns: 80, in: machine.project.path,
        // A short prompt: the project's folder in the default one made the typed line wrap
        // at 80 columns on CI's longer temporary paths, and the line was then not found.
        environment: ["PATH": machine.path, "HOME": machine.root + "/home", "PROMPT_COMMAND": "PS1='$ '"])
      defer { tmux.kill() }
      // Synchronised on the screen: the prompt, then the line typed, then bash's list with the
      // prompt and line shown again under it.
      let typed = line.trimmingCharacters(in: .whitespaces)
      _ = try await eventually(60) {
        !(try tmux.screen().joined().trimmingCharacters(in: .whitespaces).isEmpty)
      }
      try tmux.send(line)
      _ = try await eventually(60) { try tmux.screen().contains { $0.hasSuffix(typed) } }
      try tmux.send("Tab")
      try tmux.send("Tab")
      var screen: [String] = []
      _ = try await eventually(60) {
        screen = try tmux.screen()
        return screen.filter { $0.hasSuffix(typed) }.count >= 2
      }
      let prompts = screen.indices.filter { screen[$0].hasSuffix(typed) }
      guard prompts.count >= 2 else {
        return "\(example): bash listed nothing for `\(line)`:\n\(screen.joined(separator: "\n"))"
      }
      printed.append("$ " + command)
      printed += screen[(prompts[0] + 1)..<prompts[1]]
    }
    let expected = example.text.map {
      $0.replacingOccurrences(of: #"\s+$"#, with: "", options: .regularExpression)
    }
    guard printed != expected else { return nil }
    return "\(example) (bash completion) differs (- documented, + listed):\n"
      + (OutputDiff.render(
        expected: expected.joined(separator: "\n") + "\n",
        actual: printed.joined(separator: "\n") + "\n") ?? "")
  }
}
