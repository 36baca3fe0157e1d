import CruddurCore
import Foundation
import Testing

/// Configuration problems come out as kinds: tests match the reason and its values, not
/// the words (`ConfigErrorKind.diagnostic(at:)` owns those).
@Suite struct ConfigErrorKindTests {
  static let registry = ExecutorRegistry([PassThroughExecutor(actionKey: "sql")])

  /// Loads `yaml` as a project's `cruddur.yml` in a folder removed afterwards.
  func load(_ yaml: String) throws -> (Project, [Diagnostic]) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "cruddur-kinds-\(UUID())"
    ).path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try yaml.write(toFile: directory + "/cruddur.yml", atomically: false, encoding: .utf8)
    return ProjectDecoder(registry: Self.registry).load(configPath: directory + "/cruddur.yml")
  }

  @Test("an unknown key is the key, where it is, and the key it was probably meant to be")
  func unknownKey() throws {
    let (_, diagnostics) = try load(
      """
      version: 1
      tasks:
        db:seed: { descripton: Load seed data, sql: seed.sql }
      """)
    #expect(
      diagnostics.map(\.kind) == [
        .unknownKey(key: "descripton", in: "task `db:seed`", suggestion: "description")
      ])
    #expect(
      diagnostics.first?.location
        == SourceLocation(path: "cruddur.yml", line: 3, column: 14, length: 10))
    #expect(diagnostics.first?.kind?.name == "unknownKey")
  }

  @Test("values of the wrong shape say which value and what was found")
  func wrongShapes() throws {
    let (_, diagnostics) = try load(
      """
      version: 2
      tasks:
        a: { sql: a.sql, deps: b, protected: maybe, timeout: 0s }
        b: { sql: b.sql, description: [x] }
      """)
    #expect(
      Set(diagnostics.compactMap(\.kind)) == [
        .unsupportedVersion(found: "2"),
        .notAList(what: "`deps`", found: "a string", scalar: "b"),
        .wrongType(what: "`protected`", expected: .boolean, found: "`maybe`"),
        .durationNotPositive(what: "`timeout`", found: "`0s`"),
        .wrongType(what: "`description`", expected: .string, found: "a list"),
      ])
    #expect(diagnostics.allSatisfy { $0.kind != nil }, "\(diagnostics.map(\.message))")
  }

  @Test("a task defined twice, and a task that names one that does not exist")
  func tasks() throws {
    let (_, diagnostics) = try load(
      """
      version: 1
      tasks:
        seed: { sql: seed.sql, deps: [migrat] }
        migrate: { sql: m.sql }
        empty: {}
      """)
    let kinds = diagnostics.compactMap(\.kind)
    #expect(kinds.contains(.unknownTask(name: "migrat", in: "seed", suggestion: "migrate")))
    #expect(kinds.contains(.taskDoesNothing(task: "empty", actionKeys: ["sql"])))
    #expect(kinds.count == 2)
  }

  @Test("a duplicate key names the key and where it was first defined")
  func duplicateKey() {
    let (_, diagnostics) = YAMLReader.read("a: 1\nb: 2\na: 3\n", path: "x.yml")
    #expect(
      diagnostics.map(\.kind) == [
        .duplicateKey(key: "a", firstAt: SourceLocation(path: "x.yml", line: 1, column: 1))
      ])
    #expect(diagnostics.first?.location?.line == 3)
  }

  @Test("a cycle is its whole path, and each edge where it is written")
  func dependencyCycle() throws {
    let here = SourceLocation(path: "cruddur.yml", line: 1, column: 1)
    var a = TaskDefinition(name: "a", location: here)
    var b = TaskDefinition(name: "b", location: here)
    a.deps = [
      TaskReference(name: "b", location: SourceLocation(path: "cruddur.yml", line: 2, column: 9))
    ]
    b.steps = [
      TaskReference(name: "a", location: SourceLocation(path: "cruddur.yml", line: 3, column: 9))
    ]
    let error = #expect(throws: ConfigError.self) {
      try TaskGraph(roots: [TaskReference(name: "a", location: here)], tasks: ["a": a, "b": b])
    }
    #expect(
      error?.kinds == [
        .dependencyCycle(
          path: ["a", "b", "a"],
          edges: [
            .init(
              task: "a", needs: "b", at: SourceLocation(path: "cruddur.yml", line: 2, column: 9)),
            .init(
              task: "b", needs: "a", at: SourceLocation(path: "cruddur.yml", line: 3, column: 9)),
          ])
      ])
  }

  @Test("a variable that is not set, with and without a `:?` message")
  func missingVariable() throws {
    let at = SourceLocation(path: "cruddur.yml", line: 4, column: 10)
    let plain = #expect(throws: ConfigError.self) {
      try Interpolator.render(Template(parsing: "postgres://${DB_HOST}/app", at: at), in: Scope())
    }
    #expect(plain?.kinds == [.variableNotSet(name: "DB_HOST")])
    let required = #expect(throws: ConfigError.self) {
      try Interpolator.render(Template(parsing: "${TOKEN:?ask ops}", at: at), in: Scope())
    }
    #expect(required?.kinds == [.requiredVariableMissing(name: "TOKEN", message: "ask ops")])
  }

  @Test("variables that use each other in a cycle")
  func variableCycle() throws {
    let at = SourceLocation(path: "cruddur.yml", line: 1, column: 1)
    let templates = [
      "A": try Template(parsing: "${B}", at: at), "B": try Template(parsing: "${A}", at: at),
    ]
    let error = #expect(throws: ConfigError.self) {
      try VariableOrder.order(templates, in: "`vars:`")
    }
    guard case .variableCycle(_, let cycle, _)? = error?.kinds.first else {
      Issue.record("expected a variable cycle, got \(String(describing: error?.kinds))")
      return
    }
    #expect(cycle == ["A", "B", "A"])
  }

  @Test("a word on the command line that names no task gets a suggestion, or the task before it")
  func unknownInvokedTask() throws {
    var seed = TaskDefinition(
      name: "db:seed", location: SourceLocation(path: "cruddur.yml", line: 1, column: 1))
    seed.params = ["file"]
    let tasks = ["db:seed": seed]
    let typo = #expect(throws: ConfigError.self) {
      try InvocationParser.parse(["db:sede"], tasks: tasks, order: ["db:seed"])
    }
    #expect(
      typo?.kinds == [.unknownInvokedTask(name: "db:sede", suggestion: "db:seed", after: nil)])
    let extra = #expect(throws: ConfigError.self) {
      try InvocationParser.parse(["db:seed", "a.sql", "zzzzzz"], tasks: tasks, order: ["db:seed"])
    }
    #expect(
      extra?.kinds == [
        .unknownInvokedTask(
          name: "zzzzzz", suggestion: nil, after: Invocation(task: "db:seed", arguments: ["a.sql"]))
      ])
  }

  @Test("an unknown environment, from -e or from CRUDDUR_ENV")
  func unknownEnvironment() throws {
    let (project, _) = try load(
      """
      version: 1
      environments:
        local: { url: postgres://u@h/db }
        prod: { url: postgres://u@p/db }
      """)
    let resolver = EnvironmentResolver(project: project)
    let explicit = #expect(throws: ConfigError.self) {
      try resolver.select(explicit: "prd", processEnvironment: [:])
    }
    #expect(
      explicit?.kinds == [
        .unknownEnvironment(
          name: "prd", fromEnvironmentVariable: false, suggestion: "prod", names: ["local", "prod"])
      ])
    let none = #expect(throws: ConfigError.self) {
      try resolver.select(explicit: nil, processEnvironment: [:])
    }
    #expect(none?.kinds == [.noEnvironmentSelected])
  }

  @Test("a `--set` name the project does not use is a warning, not an error")
  func warning() {
    let diagnostic = ConfigErrorKind.unusedSetVariable(name: "DB_HOTS", suggestion: "DB_HOST")
      .diagnostic()
    #expect(diagnostic.severity == .warning)
    #expect(diagnostic.kind == .unusedSetVariable(name: "DB_HOTS", suggestion: "DB_HOST"))
  }

  @Test("a ConfigError's kinds skip the diagnostics still worded at their call site")
  func kindsOfMixedError() {
    let error = ConfigError([
      .error("worded elsewhere"), ConfigErrorKind.noEnvironmentSelected.diagnostic(),
    ])
    #expect(error.kinds == [.noEnvironmentSelected])
  }

  @Test("each kind's diagnostic carries the kind, and its name is the case's")
  func diagnosticKeepsKind() {
    let kinds: [ConfigErrorKind] = [
      .invalidUnless, .noEnvironments, .secondDocument,
      .unknownKey(key: "x", in: "`y`", suggestion: nil),
      .ambiguousURL(origin: "the URL of `prod`", reason: "two `@`"),
    ]
    for kind in kinds { #expect(kind.diagnostic(at: nil).kind == kind) }
    #expect(
      kinds.map(\.name) == [
        "invalidUnless", "noEnvironments", "secondDocument", "unknownKey", "ambiguousURL",
      ])
    // The URL's line may hold the password cruddur could not find in it.
    #expect(ConfigErrorKind.ambiguousURL(origin: "o", reason: "r").diagnostic().hidesSourceLine)
  }
}
