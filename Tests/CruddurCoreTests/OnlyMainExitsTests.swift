import Foundation
import Testing

/// Only `main` ends the process (issue 18, item 6). `ProcessEndingCallTests` holds every
/// library to no exit, abort, fatalError or trap; this adds what it does not see:
/// - in the binary, every way its own code ends the process is listed with why: main's one
///   `exit` (inside `main()`, once), the prompt's signal-safe Ctrl-C handler, `connect`'s
///   hand-over to psql; a command that ends the process itself fails here;
/// - in the libraries, a process that signals itself to death (`kill(getpid(), …)`,
///   `raise`) and the traps an input could reach (`precondition`, `assert`, `try!`) are
///   listed with why each is no input path.
/// Adding an entry needs a reason a reviewer accepts.
@Suite struct OnlyMainExitsTests {
  /// A process signalling itself (the default action of SIGINT or SIGTERM ends it).
  static let selfSignal = try! NSRegularExpression(
    pattern: #"(?<![\w.])(kill)\s*\(\s*getpid\s*\(\s*\)|(?<![\w.])(raise)\s*\("#)
  /// A process image replaced (`ChildProcess.exec()`: execve).
  static let handOver = try! NSRegularExpression(pattern: #"(?<=\.)(exec)\s*\(\s*\)"#)
  /// Traps an input could reach, in Swift.
  static let traps = try! NSRegularExpression(
    pattern: #"(?<![\w.])(precondition|assert|assertionFailure)\s*\(|(?<![\w.])(try)!"#)

  /// Every way the binary's own code ends the process, by "path: call".
  static let binaryEndings: [String: String] = [
    "Sources/cruddur/Cruddur.swift: exit":
      "main's one exit, with the status of the one ending it computed (CommandEnding)",
    "Sources/cruddur/TerminalPrompt.swift: _exit":
      "SIGINT sent (by kill) while a prompt waits: its handler says cancelled and exits, as a handler cannot return to main (Ctrl-C typed at the prompt is read as a key and thrown back to main)",
    "Sources/cruddur/TerminalPrompt.swift: raise":
      "SIGTERM or SIGHUP at a prompt: the terminal's settings put back, then the signal's own default action, from its handler",
    "Sources/cruddur/Commands/ConnectCommand.swift: exec":
      "`connect` hands the process to psql (execve): the terminal, the signals and the exit status are psql's from then on",
  ]

  /// The libraries' self-signals and traps, by "path: call".
  static let libraryAllowed: [String: String] = [
    "Sources/CruddurSession/Interrupts.swift: kill":
      "a signal between two signal windows (nothing runs that a stop must end) takes the default action it would have had if cruddur had never caught it: the library gives the signal back, it decides no status",
    "Sources/CruddurCore/Run/FleetScheduler.swift: precondition":
      "`finished` is called by FleetRunner for a target it started: an index from the scheduler's own `start` action, never from input",
    "Sources/CruddurCore/Diagnostics/RunError.swift: precondition":
      "a RunError is made in code from a kind or a list the code built non-empty; no input decides the count",
    "Sources/CruddurPostgres/SQL/SQLScriptReader.swift: precondition":
      "the scanner is told `atEOF` and asks for more only before it: a contract between two pieces of code, whatever the file holds",
    "Sources/CruddurPostgres/SQL/SQLLoader.swift: precondition":
      "statements planning found are handed to the loader only with the checks they passed: a contract between SQLExecutor and the loader, whatever the file holds",
  ]

  /// The process-ending calls of `directory`'s files, by "path: call", with lines.
  static func endings(in directory: String, patterns: [NSRegularExpression]) throws -> [(
    key: String, line: Int
  )] {
    var found: [(String, Int)] = []
    for (path, source) in try ProcessEndingCallTests.sources(in: directory) {
      for call in calls(in: source, patterns: patterns) {
        found.append(("\(path): \(call.name)", call.line))
      }
    }
    return found
  }

  /// The calls `patterns` find in code, outside comments and string literals; the name is
  /// the first group that matched.
  static func calls(in source: String, patterns: [NSRegularExpression]) -> [(
    line: Int, name: String
  )] {
    let code = SwiftCode.blanking(source, strings: true)
    let text = code as NSString
    var found: [(Int, String)] = []
    for pattern in patterns {
      for match in pattern.matches(in: code, range: NSRange(location: 0, length: text.length)) {
        let line = text.substring(to: match.range.location).reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
        let group = (1..<match.numberOfRanges).first { match.range(at: $0).location != NSNotFound }
        found.append((line, group.map { text.substring(with: match.range(at: $0)) } ?? "?"))
      }
    }
    return found.sorted { $0.0 < $1.0 }
  }

  @Test("the binary ends the process only in main, once, and in the listed places with reasons")
  func binaryEndsOnlyInMain() throws {
    let found = try Self.endings(
      in: "Sources/cruddur",
      patterns: [ProcessEndingCallTests.pattern, Self.selfSignal, Self.handOver])
    let unlisted = found.filter { Self.binaryEndings[$0.key] == nil }.map {
      "\($0.key) (line \($0.line))"
    }
    #expect(unlisted == [], "a command returns its status to main, or throws for main's funnel")
    // An exception no longer needed is removed, so the list stays the exact truth.
    #expect(Set(found.map(\.key)) == Set(Self.binaryEndings.keys))
    let exits = found.filter { $0.key == "Sources/cruddur/Cruddur.swift: exit" }
    #expect(exits.count == 1, "main exits in one place")
    let source = try String(
      contentsOfFile: DeclaredDependencyTests.root + "/Sources/cruddur/Cruddur.swift",
      encoding: .utf8)
    let body = try #require(Self.lines(ofFunction: "static func main()", in: source))
    #expect(exits.allSatisfy { body.contains($0.line) }, "the exit is main()'s own")
  }

  @Test(
    "no library signals itself to death or traps on a path input reaches (allow-list with reasons)")
  func librariesNeitherSignalThemselvesNorTrap() throws {
    let manifest = try PackageManifest(
      contentsOf: DeclaredDependencyTests.root + "/Package.swift")
    var found: [(key: String, line: Int)] = []
    for target in manifest.targets where target.kind == "target" {
      found += try Self.endings(
        in: target.path ?? "Sources/" + target.name, patterns: [Self.selfSignal, Self.traps])
    }
    let unlisted = found.filter { Self.libraryAllowed[$0.key] == nil }.map {
      "\($0.key) (line \($0.line))"
    }
    #expect(unlisted == [], "report the error as a value; only main ends the process")
    #expect(Set(found.map(\.key)) == Set(Self.libraryAllowed.keys))
  }

  @Test("the scanners find self-signals, hand-overs and traps in code, none in comments or strings")
  func scannersCanFail() {
    let source = """
      // kill(getpid(), SIGINT) in a comment
      let text = "raise(SIGTERM) and try! x in a string"
      kill(getpid(), SIGINT)
      raise(SIGTERM)
      try process.exec()
      precondition(ok, "x")
      let value = try! decode()
      group.kill(2); self.raise(1); preconditions(1)
      """
    let found = Self.calls(in: source, patterns: [Self.selfSignal, Self.handOver, Self.traps])
    #expect(
      found.map { "\($0.line) \($0.name)" } == [
        "3 kill", "4 raise", "5 exec", "6 precondition", "7 try",
      ])
  }

  @Test("main's body is found by its braces, and a line outside it is not in it")
  func mainBodyLines() throws {
    let source = """
      struct Cruddur {
        static func main() async {
          let x = { 1 }()
          exit(x)
        }
        static func other() { exit(2) }
      }
      """
    let body = try #require(Self.lines(ofFunction: "static func main()", in: source))
    #expect(body.contains(4))
    #expect(!body.contains(6))
  }

  /// The lines of the function whose declaration starts with `declaration`, from its
  /// opening brace to the one that closes it (comments and strings blanked first).
  static func lines(ofFunction declaration: String, in source: String) -> ClosedRange<Int>? {
    let code = Array(SwiftCode.blanking(source, strings: true))
    let text = String(code)
    guard let start = text.range(of: declaration) else { return nil }
    var index = text.distance(from: text.startIndex, to: start.lowerBound)
    while index < code.count, code[index] != "{" { index += 1 }
    let open = index
    var depth = 0
    while index < code.count {
      if code[index] == "{" { depth += 1 }
      if code[index] == "}" {
        depth -= 1
        if depth == 0 { break }
      }
      index += 1
    }
    guard index < code.count else { return nil }
    func line(_ offset: Int) -> Int { code[..<offset].reduce(1) { $1 == "\n" ? $0 + 1 : $0 } }
    return line(open)...line(index)
  }
}
