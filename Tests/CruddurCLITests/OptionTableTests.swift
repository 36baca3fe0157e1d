import CruddurCommandLine
import CruddurTestSupport
import Foundation
import Testing

/// The option table (`Grammar.cruddur`) is the one source of the command line: every
/// option in it is parsed, listed in its commands' help and offered by completion, and
/// what it refuses is refused with one precise message. The parser runs in process; the
/// binary is run where what matters is what a user sees.
@Suite struct OptionTableTests {
  static let grammar = Grammar.cruddur
  static let parser = CommandLineParser(grammar: grammar)

  static func refusal(_ arguments: [String]) -> String? {
    do {
      _ = try parser.parse(arguments)
      return nil
    } catch {
      return error.rendered(grammar)
    }
  }

  static func parsed(_ arguments: [String]) throws -> ParsedCommandLine {
    guard case .command(let parsed) = try parser.parse(arguments) else {
      Issue.record("\(arguments) is not a command")
      return ParsedCommandLine(command: "", isExplicit: false)
    }
    return parsed
  }

  @Test("no command has two rows for one spelling, and every row names known commands")
  func rowsAreUnambiguous() {
    let names = Set(Self.grammar.commands.map(\.name))
    for command in Self.grammar.commands {
      let spellings = Self.grammar.options(of: command.name).flatMap(\.spellings)
      #expect(Set(spellings).count == spellings.count, "\(command.name): \(spellings)")
    }
    for option in Self.grammar.options {
      #expect(
        !option.commands.isEmpty && Set(option.commands).isSubset(of: names), "\(option.name)")
      #expect(option.help.hasSuffix("."), "\(option.name): help is a sentence")
    }
  }

  @Test(
    "every option in the table is in its commands' help, parsed by them and offered by completion")
  func everyOptionEverywhere() throws {
    let renderer = HelpRenderer(grammar: Self.grammar)
    let completion = CompletionEngine(grammar: Self.grammar)
    for command in Self.grammar.commands {
      let page = renderer.page(command.name)
      let offered = completion.answer(shell: "bash", words: ["cruddur", command.name, "-"]) { _ in
        nil
      }
      let offeredLong = completion.answer(shell: "bash", words: ["cruddur", command.name, "--"]) {
        _ in nil
      }
      for option in Self.grammar.options(of: command.name) {
        let label =
          option.spellings.joined(separator: ", ") + (option.valueName.map { " <\($0)>" } ?? "")
        let firstWords = option.help.split(separator: " ").prefix(3).joined(separator: " ")
        #expect(page.contains("  \(label)"), "\(command.name) --help lacks \(label)")
        #expect(page.contains(firstWords), "\(command.name) --help lacks the help of \(label)")
        for spelling in option.spellings {
          let list = spelling.hasPrefix("--") ? offeredLong : offered
          #expect(
            list.split(separator: "\n").contains(Substring(spelling)),
            "\(command.name): \(spelling) not offered")
          let value = option.values.first ?? (option.isInteger ? "2" : "x=1")
          let words = command.positionals.filter { !$0.optional }.map { $0.values.first ?? "w" }
          let arguments = [command.name] + words + [spelling] + (option.takesValue ? [value] : [])
          let parsed = try Self.parsed(arguments)
          if option.takesValue {
            #expect(parsed.values[option.name] == [value], "\(arguments)")
          } else {
            #expect(parsed.flag(option.name), "\(arguments)")
          }
        }
      }
    }
  }

  @Test(
    "what the binary prints for --help is the renderer's page, for the program and every command")
  func binaryHelpIsTheTable() async throws {
    let project = try TemporaryProject(files: [:])
    defer { project.remove() }
    let renderer = HelpRenderer(grammar: Self.grammar)
    #expect(try await project.run(["--help"]).stdout == renderer.programPage())
    for command in Self.grammar.commands {
      let help = try await project.run([command.name, "--help"])
      #expect(
        help.status == 0 && help.stdout == renderer.page(command.name), "\(command.name)\n\(help)")
    }
  }

  @Test("list --help, whole")
  func listHelp() {
    #expect(
      HelpRenderer(grammar: Self.grammar).page("list") == """
        OVERVIEW: List the tasks with their descriptions, grouped by namespace.

        Example:
          cruddur list
          cruddur list --format json | jq '.[].name'

        USAGE: cruddur list [--file <file>] [--no-color] [--format <format>]

        OPTIONS:
          -f, --file <file>       The config file (default: cruddur.yml here or in a
                                  parent).
          --no-color              No colour (also when NO_COLOR is set or output is not
                                  a terminal).
          --format <format>       text or json. (values: text, json; default: text)
          --version               Show the version.
          -h, --help              Show help information.


        """)
  }

  static let runUsage = """
    Usage: cruddur run [<options>] <task [params...]> ...
      See 'cruddur run --help' for more information.

    """

  @Test(
    "refused command lines, each with one whole message",
    arguments: [
      // A single-valued option given twice: which one was meant is not guessed.
      (
        ["q", "-e", "a", "-e", "b"],
        "error: `-e` is given twice (`a`, then `b`)\n = help: give it once\n" + runUsage
      ),
      (
        ["q", "--format", "json", "--format=csv"],
        "error: `--format` is given twice (`json`, then `csv`)\n = help: give it once\n" + runUsage
      ),
      (
        ["q", "-jx"],
        "error: the value `x` is invalid for `-j <N>`\n = help: a whole number\n" + runUsage
      ),
      (
        ["q", "-j", "x"],
        "error: the value `x` is invalid for `-j <N>`\n = help: a whole number\n" + runUsage
      ),
      (
        ["q", "--format="],
        "error: missing value for `--format <format>`\n = help: text; json: one JSON object per event and line; csv: query rows alone on stdout.\n"
          + runUsage
      ),
      (
        ["q", "--formt", "json"],
        "error: unknown option `--formt`\n = help: did you mean `--format`?\n" + runUsage
      ),
      (["q", "--zzzzzz"], "error: unknown option `--zzzzzz`\n" + runUsage),
      // A value-taking option at the end: named, with its help.
      (
        ["q", "-j"],
        "error: missing value for `-j <N>`\n = help: Run up to N independent steps at once (default: cores).\n"
          + runUsage
      ),
      (
        ["q", "-e", "--wait"],
        "error: missing value for `-e <env>`\n = help: The environment (default: $CRUDDUR_ENV, then the default one).\n"
          + runUsage
      ),
      (
        ["list", "--out", "x"],
        "error: unknown option `--out`\n = help: `--out` is an option of `plan`\nUsage: cruddur list [--file <file>] [--no-color] [--format <format>]\n  See 'cruddur list --help' for more information.\n"
      ),
      (
        ["q", "--no-color=yes"],
        "error: the option `--no-color` does not take any value, but `yes` was specified\n"
          + runUsage
      ),
      (
        ["init", "--file", "x"],
        "error: unknown option `--file`\n = help: `--file` is an option of `run`, `plan`, `apply`, `list`, `validate`, `envs`, `local`, `graph`, `new`, `connect`, `runs` and `stamp`\nUsage: cruddur init\n  See 'cruddur init --help' for more information.\n"
      ),
      (
        ["list", "extra"],
        "error: unexpected argument `extra`\nUsage: cruddur list [--file <file>] [--no-color] [--format <format>]\n  See 'cruddur list --help' for more information.\n"
      ),
      (
        ["help", "list", "extra"],
        "error: unexpected argument `extra`\n = help: `help` shows one command or task\n"
      ),
    ])
  func refused(_ arguments: [String], _ expected: String) {
    #expect(Self.refusal(arguments) == expected, "\(arguments)")
  }

  @Test("their accepted twins: -j4 is -j 4, --opt=value, grouped short flags, `--` ends options")
  func accepted() throws {
    #expect(try Self.parsed(["q", "-j4"]).integer("j") == 4)
    #expect(try Self.parsed(["q", "-j0"]).integer("j") == 0)  // refused by run's own check, exit 2 (below)
    #expect(try Self.parsed(["q", "--format=json"]).value("format") == "json")
    let grouped = try Self.parsed(["q", "-yn"])
    #expect(grouped.flag("yes") && grouped.flag("dry-run"))
    let ended = try Self.parsed(["t", "--", "--format", "-j"])
    #expect(ended.words == ["t", "--format", "-j"] && ended.values.isEmpty)
    let repeated = try Self.parsed(["q", "--set", "A=1", "--set", "B=2"])
    #expect(repeated.all("set") == ["A=1", "B=2"])
    let options = try Self.parsed(["-f", "x.yml", "list"])
    #expect(options.command == "list" && options.value("file") == "x.yml")
    let connect = try Self.parsed(["connect", "-e", "prod", "-c", "select 1", "--help"])
    #expect(
      connect.value("env") == "prod" && connect.passedThrough == ["-c", "select 1", "--help"])
  }

  @Test("-j0 and invalid UTF-8 through the binary: usage errors, exit 2, nothing run")
  func binaryTwins() async throws {
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      environments:
        local: { default: true, url: "postgresql://postgres:pw@127.0.0.1:1/app" }
      tasks:
        q: { shell: touch ran }
      """
    ])
    defer { project.remove() }
    let zero = try await project.run(["q", "-j0"])
    #expect(
      zero.status == 2 && zero.stderr == "error: -j must be at least 1\n" + Self.runUsage, "\(zero)"
    )
    // The kernel hands over bytes; `\xff` is no UTF-8, and is shown repaired, not dropped.
    let script = #""$0" list --format "$(printf 'js\377n')"; "$0" "$(printf '\377q')""#
    let bytes = try await CruddurBinary.runProgram(
      "/bin/sh", ["-c", script, CruddurBinary.path], in: project.path)
    #expect(
      bytes.stderr == """
        error: the value `js\u{FFFD}n` is invalid for `--format <format>`. Please provide one of `text` or `json`
        Usage: cruddur list [--file <file>] [--no-color] [--format <format>]
          See 'cruddur list --help' for more information.
        error: unknown task `\u{FFFD}q`
         = help: did you mean `q`?

        """, "\(bytes)")
    #expect(!FileManager.default.fileExists(atPath: project.path + "/ran"))
  }
}
