import Foundation
import Testing

/// Core knows no executor: its error kinds are the DSL's, the graph's, the variables' and
/// the plan's, and each executor module owns its own (`PostgresRunErrorKind`,
/// `PluginErrorKind`...). This lists every `ErrorKind` enum in Core's sources, with each
/// case's name and the code of its words, and fails on a word that belongs to an
/// executor, so a kind added to Core for one executor is caught here, not in review.
@Suite struct CoreErrorKindWordsTests {
  /// Words (matched as the start of a word, case-insensitively, in a case's name split at
  /// its capitals and in its message code) that name an executor's world:
  /// - Postgres: `postgres`, `psql`, `sql`, `libpq`, `pg` (pg_dump, pg_ctl), `initdb`,
  ///   `dbmate`, `migrat` (migration, migrate), `transaction`, `dump`, `lock` (the run
  ///   lock, .cruddur/'s lock file), `server` (the embedded server, a server's error);
  /// - Shell: `plugin`, `process`, `pid`, `spawn` (child processes are CruddurProcess's
  ///   and the Shell module's);
  /// - Credentials: `credential`, `aws`, `ssm`, `rds`, `iam`.
  /// Generic words an executor also uses (`file`, `database`, `query`, `url`) are not
  /// listed: Core's own kinds need them (a saved plan is a file, an environment has a URL).
  static let executorWords = [
    "postgres", "psql", "sql", "libpq", "pg", "initdb", "dbmate", "migrat", "transaction", "dump",
    "lock", "server",
    "plugin", "process", "pid", "spawn", "credential", "aws", "ssm", "rds", "iam",
  ]

  /// The words each Core kind may still use, with why: the DSL surface Core still decodes
  /// itself until the executors own their sections (issue 18, item 1). Adding one needs a
  /// reason a reviewer accepts.
  static let allowed: [String: (words: Set<String>, why: String)] = [
    "ConfigErrorKind.pluginMissing": (
      ["plugin"],
      "the project's `plugins:` section is read by Core's ProjectDecoder, which checks each path"
    ),
    "ConfigErrorKind.invalidUnless": (["sql"], "`unless: { sql: }` is Core's DSL (TaskDecoder)"),
    "RunErrorKind.unlessSQLUnavailable": (
      ["sql"],
      "the Runner evaluates `unless: { sql: }` through an injected resolver and says when it has none"
    ),
    "ConfigErrorKind.unparsableURL": (
      ["postgres"],
      "an environment's `url:` is resolved by Core's EnvironmentResolver; the help shows the form"
    ),
    "ConfigErrorKind.unreadSetVariable": (
      ["process"],
      "\"the process environment\" is cruddur's own environment variables, not a child process"
    ),
  ]

  /// One case of a kind enum: its name and the text of its declaration and of its arm in
  /// the function that words it, comments removed.
  struct KindCase {
    var enumName: String
    var name: String
    var text: String
  }

  /// Every case of every `enum X: ... ErrorKind` in the Swift files under `directory`.
  static func kindCases(in directory: String) throws -> [KindCase] {
    var found: [KindCase] = []
    let files =
      FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String }
      .filter { $0.hasSuffix(".swift") } ?? []
    let declaration = try NSRegularExpression(pattern: #"enum (\w+)\s*:[^{]*\bErrorKind\b"#)
    for file in files.sorted() {
      let source = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
      let range = NSRange(source.startIndex..., in: source)
      guard let match = declaration.firstMatch(in: source, range: range),
        let nameRange = Range(match.range(at: 1), in: source)
      else { continue }
      found += cases(of: String(source[nameRange]), in: source)
    }
    return found
  }

  /// The cases of the kind enum `enumName` written in `source` (one enum per file, as the
  /// style has it): `  case name(...)` declarations, and `    case .name` arms after the
  /// function that words them starts (`diagnostic(at:)` or `words`), each running to the
  /// next arm.
  static func cases(of enumName: String, in source: String) -> [KindCase] {
    var texts: [String: String] = [:]
    var order: [String] = []
    var inWords = false
    var current: String?
    for rawLine in source.split(separator: "\n", omittingEmptySubsequences: false) {
      let line =
        rawLine.range(of: "//").map { String(rawLine[..<$0.lowerBound]) } ?? String(rawLine)
      if rawLine.contains("func words(") || rawLine.contains("var words:")
        || rawLine.contains("func diagnostic(")
      {
        inWords = true
      }
      if let name = caseName(line, prefix: "  case ") {
        if texts[name] == nil { order.append(name) }
        texts[name, default: ""] += line + "\n"
        current = nil
        continue
      }
      if inWords, let name = caseName(line, prefix: "    case .") {
        current = name
      } else if !line.hasPrefix("      ") {
        current = nil
      }
      if let current { texts[current, default: ""] += line + "\n" }
    }
    return order.map { KindCase(enumName: enumName, name: $0, text: texts[$0] ?? "") }
  }

  private static func caseName(_ line: String, prefix: String) -> String? {
    guard line.hasPrefix(prefix) else { return nil }
    let name = line.dropFirst(prefix.count).prefix { $0.isLetter || $0.isNumber || $0 == "_" }
    guard let first = name.first, first.isLowercase else { return nil }
    return String(name)
  }

  /// The words of `text`, each identifier also split at its capitals (`unlessSQLUnavailable`
  /// is unless, sql, unavailable), lowercased.
  static func words(_ text: String) -> Set<String> {
    let pattern = try! NSRegularExpression(pattern: "[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
    let range = NSRange(text.startIndex..., in: text)
    return Set(
      pattern.matches(in: text, range: range).compactMap {
        Range($0.range, in: text).map { text[$0].lowercased() }
      })
  }

  /// The executor words `kind` uses, beyond those it is allowed.
  static func executorWords(in kind: KindCase) -> Set<String> {
    let used = words(kind.name + " " + kind.text)
    let hits = executorWords.filter { word in used.contains { $0.hasPrefix(word) } }
    return Set(hits).subtracting(allowed["\(kind.enumName).\(kind.name)"]?.words ?? [])
  }

  @Test("Core's error kinds name no executor (allow-list with reasons)")
  func coreKindsNameNoExecutor() throws {
    let kinds = try Self.kindCases(in: DeclaredDependencyTests.root + "/Sources/CruddurCore")
    // The enums this test must see to mean anything, and a count no broken reading reaches.
    #expect(Set(kinds.map(\.enumName)).isSuperset(of: ["ConfigErrorKind", "RunErrorKind"]))
    #expect(kinds.count > 60, "\(kinds.count) kinds read")
    let offending = kinds.compactMap { kind -> String? in
      let hits = Self.executorWords(in: kind)
      return hits.isEmpty
        ? nil : "\(kind.enumName).\(kind.name): \(hits.sorted().joined(separator: ", "))"
    }
    #expect(offending == [], "move these kinds to the executor module that raises them")
    // An exception that no longer matches anything is removed, so the list stays honest.
    let stale = Self.allowed.filter { key, value in
      guard let kind = kinds.first(where: { "\($0.enumName).\($0.name)" == key }) else {
        return true
      }
      let used = Self.words(kind.name + " " + kind.text)
      return !value.words.allSatisfy { word in used.contains { $0.hasPrefix(word) } }
    }.keys.sorted()
    #expect(stale == [], "allowed exceptions that match nothing")
  }

  @Test("every ErrorKind conformance in Core is an enum this reading lists")
  func everyConformanceIsRead() throws {
    let directory = DeclaredDependencyTests.root + "/Sources/CruddurCore"
    let conformance = try NSRegularExpression(
      pattern: #"\b(enum|struct|class|actor|extension)\s+([\w.]+)\s*:[^{]*\bErrorKind\b"#)
    let files =
      FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String }
      .filter { $0.hasSuffix(".swift") } ?? []
    var declared: [String] = []
    for file in files {
      let source = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
      for match in conformance.matches(in: source, range: NSRange(source.startIndex..., in: source))
      {
        guard let kind = Range(match.range(at: 1), in: source),
          let name = Range(match.range(at: 2), in: source)
        else { continue }
        declared.append("\(source[kind]) \(source[name])")
      }
    }
    let read = Set(try Self.kindCases(in: directory).map { "enum \($0.enumName)" })
    // A struct, an extension or a nested enum would escape the words check above.
    #expect(declared.sorted() == read.sorted(), "conformances the words check cannot read")
  }

  @Test("the same reading finds the executor words in the modules' own kinds")
  func modulesKindsAreFound() throws {
    let postgres = try Self.kindCases(in: DeclaredDependencyTests.root + "/Sources/CruddurPostgres")
    let shell = try Self.kindCases(in: DeclaredDependencyTests.root + "/Sources/CruddurShell")
    let flagged = (postgres + shell).filter { !Self.executorWords(in: $0).isEmpty }.map(\.name)
    for name in [
      "runLockHeld", "portTaken", "initdbFailed", "psqlVariable", "dumpFailed", "pluginFailed",
      "unknownPlugin",
    ] {
      #expect(flagged.contains(name), "\(name) should be flagged")
    }
    #expect(Self.words("unlessSQLUnavailable") == ["unless", "sql", "unavailable"])
  }
}
