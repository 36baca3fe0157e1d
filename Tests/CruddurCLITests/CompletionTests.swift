import CruddurTestSupport
import Foundation
import Testing

/// The generated completion scripts, driven as the shells drive them, complete from the
/// project: tasks (also at the top level, since `run` is the default command),
/// environments after `-e`, variables after `--set`, files after `-f`.
@Suite struct CompletionTests {
  static let files = [
    "cruddur.yml": """
    version: 1
    environments:
      local: { default: true, url: "postgresql://postgres:pw@127.0.0.1:1/app" }
      staging: { url: "${STAGING_URL:?set it}" }
    tasks:
      hello: { description: Say hello, shell: echo hello }
      db:setup: { description: Set up the database, steps: [db:seed] }
      db:seed: { description: Load seed data, shell: echo seed }
      users:add: { params: [handle], vars: { GREETING: hi }, shell: echo "$GREETING $handle" }
    """
  ]

  /// Fills COMP_WORDS, COMP_CWORD, COMP_LINE and COMP_POINT as bash does for `line` (':'
  /// and '=' are in COMP_WORDBREAKS, so `db:se` is three words), calls the generated
  /// `_cruddur` and prints COMPREPLY, one per line.
  static let bashDriver = #"""
    source "$1"
    line="$2"
    COMP_LINE="$line"; COMP_POINT=${#line}
    read -ra COMP_WORDS <<<"$(printf '%s' "$line" | sed -e 's/:/ : /g')"
    [[ "$line" == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    cur="${COMP_WORDS[COMP_CWORD]}"; [[ "$cur" == ":" ]] && cur=""
    _cruddur cruddur "$cur" "${COMP_WORDS[COMP_CWORD-1]}"
    printf '%s\n' "${COMPREPLY[@]}"
    """#

  static var binaryDirectory: String { (CruddurBinary.path as NSString).deletingLastPathComponent }
  static var path: String { binaryDirectory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") }

  static func script(_ shell: String, in project: TemporaryProject) async throws -> String {
    let generated = try await project.run(["--generate-completion-script", shell])
    #expect(generated.status == 0, "\(generated)")
    let file = project.path + "/completion.\(shell)"
    try generated.stdout.write(toFile: file, atomically: false, encoding: .utf8)
    return file
  }

  @Test(
    "bash completes tasks, environments, variables and files through the generated function",
    arguments: [
      ("cruddur db:", "seed\nsetup\n"),
      ("cruddur db:se", "seed\nsetup\n"),
      ("cruddur run us", "users:add\n"),
      ("cruddur plan db:", "seed\nsetup\n"),
      ("cruddur he", "help\nhello\n"),
      ("cruddur hello ", "db:seed\ndb:setup\nhello\nusers:add\n"),
      ("cruddur db:setup -e ", "local\nstaging\n"),
      ("cruddur -e st", "staging\n"),
      ("cruddur users:add x --set G", "GREETING\n"),
      ("cruddur run hello --set STAG", "STAGING_URL\n"),
      ("cruddur -f cru", "cruddur.yml\n"),
      ("cruddur li", "list\n"),
    ])
  func bash(_ line: String, _ expected: String) async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    let script = try await Self.script("bash", in: project)
    let result = try await CruddurBinary.runProgram(
      "/bin/bash", ["-c", Self.bashDriver, "driver", script, line], in: project.path, environment: ["PATH": Self.path])
    #expect(result.status == 0, "\(result)")
    #expect(result.stdout == expected, "\(line)\n\(result)")
    #expect(result.stderr.isEmpty, "\(result)")
  }

  @Test("outside a project the completion offers commands and no error")
  func bashWithoutProject() async throws {
    let project = try TemporaryProject(files: [:])
    defer { project.remove() }
    let script = try await Self.script("bash", in: project)
    let result = try await CruddurBinary.runProgram(
      "/bin/bash", ["-c", Self.bashDriver, "driver", script, "cruddur l"], in: project.path,
      environment: ["PATH": Self.path])
    #expect(result.stdout == "list\nlocal\n", "\(result)")
    #expect(result.stderr.isEmpty)
  }

  @Test(
    "the binary answers each shell from the grammar: files, or candidates in the shell's format",
    arguments: [
      ("bash", ["cruddur", "db:"], "words\nseed\nsetup\n"),
      ("zsh", ["cruddur", "db:"], "words\ndb\\:seed:Load seed data\ndb\\:setup:Set up the database\n"),
      ("fish", ["cruddur", "plan", "db:s"], "words\ndb:seed\tLoad seed data\ndb:setup\tSet up the database\n"),
      ("bash", ["cruddur", "-e", ""], "words\nlocal\nstaging\n"),
      ("bash", ["cruddur", "hello", "--set", ""], "words\nGREETING\nSTAGING_URL\nhandle\n"),
      ("bash", ["cruddur", "-f", "cru"], "files\n"),
      ("bash", ["cruddur", "apply", ""], "files json\n"),
      ("bash", ["cruddur", "list", "--f"], "words\n--file\n--format\n"),
      ("bash", ["cruddur", "local", "st"], "words\nstart\nstop\nstatus\n"),
      ("bash", ["cruddur", "list", ""], "words\n"),
      ("bash", ["cruddur", "hello", "--", ""], "words\ndb:seed\ndb:setup\nhello\nusers:add\n"),
    ])
  func protocolAnswers(_ shell: String, _ words: [String], _ expected: String) async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    let result = try await project.run(["__complete", shell, "--"] + words)
    #expect(result.status == 0, "\(result)")
    #expect(result.stdout == expected, "\(shell) \(words)\n\(result)")
    #expect(result.stderr.isEmpty, "\(result)")
  }

  @Test("fish completes tasks with their descriptions", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/fish")))
  func fish() async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    let script = try await Self.script("fish", in: project)
    let result = try await CruddurBinary.runProgram(
      "/usr/bin/fish", ["--no-config", "--interactive", "-c", "source \(script); complete -C 'cruddur db:'; complete -C 'cruddur run -e '"],
      in: project.path, environment: ["PATH": Self.path, "TERM": "dumb"])
    #expect(result.status == 0, "\(result)")
        let option = "\tThe environment (default: $CRUDDUR_ENV, then the default one).\n"
    #expect(
      result.stdout == "db:seed\tLoad seed data\ndb:setup\tSet up the database\nlocal" + option + "staging" + option,
      "\(result)")
    #expect(result.stderr.isEmpty, "\(result)")
  }

  @Test("zsh loads the script without error", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/zsh")))
  func zsh() async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    let script = try await Self.script("zsh", in: project)
    let result = try await CruddurBinary.runProgram(
      "/usr/bin/zsh", ["-f", "-c", "autoload -U compinit && compinit -u && source \(script) && whence -w _cruddur"],
      in: project.path, environment: ["PATH": Self.path])
    #expect(result.status == 0, "\(result)")
    #expect(result.stdout == "_cruddur: function\n", "\(result)")
    #expect(result.stderr.isEmpty, "\(result)")
  }
}
