import CruddurCore
import Foundation
import PropertyBased
import Testing

/// Random damage to a valid project must never crash the loader, and every problem it
/// reports must say where.
@Suite struct LoaderPropertyTests {
  static let valid = """
    version: 1
    dotenv: [.env]
    vars: { REGION: us-east-1 }
    environments:
      local:
        default: true
        url: ${CONNECTION_URL:-postgresql://postgres:password@localhost:5432/cruddur}
      prod:
        url: ${PROD_CONNECTION_URL:?set it}
        protected: true
    tasks:
      db:drop: { description: Drop, database: drop }
      db:create:
        description: Create
        database: create
        deps: [db:drop]
      base: &base { description: shared, timeout: 5 }
      db:sessions:
        <<: *base
        query: "select 'a;b', $1"
        params: [who]
        on: maintenance
      db:setup:
        steps: [db:drop, db:create]
        vars: { A: "${REGION}", B: { sh: date } }
        requires: [REGION]
    """

  /// Characters that matter to YAML and to `${...}`.
  static let alphabet: [Character] = Array(":-[]{}&*!|>'\"%@`#,?\n\t ${}\\x0")

  static func mutate(_ text: String, _ edits: [Int]) -> String {
    var scalars = Array(text)
    for edit in edits {
      guard !scalars.isEmpty else { break }
      let position = (edit / 7) % scalars.count
      let character = alphabet[(edit / 131) % alphabet.count]
      switch edit % 4 {
      case 0: scalars.remove(at: position)
      case 1: scalars.insert(character, at: position)
      case 2: scalars[position] = character
      default:
        // Duplicate a whole line: duplicate keys, repeated tasks.
        let lines = String(scalars).split(separator: "\n", omittingEmptySubsequences: false)
        var copy = lines
        let index = position % lines.count
        copy.insert(lines[index], at: index)
        scalars = Array(copy.joined(separator: "\n"))
      }
    }
    return String(scalars)
  }

  @Test("mutated YAML never crashes the loader and every error has a position")
  func mutations() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cruddur-prop-\(UUID())").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/cruddur.yml"
    let registry = ExecutorRegistry([PassThroughExecutor(actionKey: "database"), PassThroughExecutor(actionKey: "query")])

    await SeededProperty.check(count: 400, input: Gen.int(in: 0...10_000_000).array(of: 1...6)) { edits in
      let text = Self.mutate(Self.valid, edits)
      try? text.write(toFile: path, atomically: false, encoding: .utf8)
      let (project, diagnostics) = ProjectDecoder(registry: registry).load(configPath: path)
      for diagnostic in diagnostics {
        #expect(diagnostic.location != nil, "no position: \(diagnostic.message)\n\(text)")
      }
      // Whatever loaded must also survive graph building.
      let roots = project.taskOrder.compactMap { project.tasks[$0].map { TaskReference(name: $0.name, location: $0.location) } }
      _ = try? TaskGraph(roots: roots, tasks: project.tasks, reportUnknown: false)
    }
  }
}

extension LoaderPropertyTests {
  static let registry = ExecutorRegistry([
    PassThroughExecutor(actionKey: "database"), PassThroughExecutor(actionKey: "query"),
  ])

  /// Loads `bytes` as a project's cruddur.yml in a folder of its own, removed afterwards.
  static func load(_ bytes: [UInt8]) throws -> (Project, [Diagnostic]) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cruddur-prop-\(UUID())").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try Data(bytes).write(to: URL(fileURLWithPath: directory + "/cruddur.yml"))
    return ProjectDecoder(registry: registry).load(configPath: directory + "/cruddur.yml")
  }

  static func lineCount(_ text: String) -> Int {
    text.split(separator: "\n", omittingEmptySubsequences: false).count - (text.hasSuffix("\n") ? 1 : 0)
  }

  @Test("a generated valid cruddur.yml loads without a diagnostic, with exactly the values generated")
  func generatedProjectsLoad() async throws {
    await SeededProperty.check(count: 300, input: Gen.int(in: 0...1_000_000).array(of: 0...120)) { values in
      let generated = GeneratedProject(values)
      let (project, diagnostics) = try Self.load(Array(generated.text.utf8))
      #expect(diagnostics.isEmpty, "\(diagnostics.map { "\($0.location?.description ?? "-"): \($0.message)" })\n\(generated.text)")
      #expect(project.vars.count == generated.vars.count, "\(generated.text)")
      for (name, value) in generated.vars { #expect(project.vars[name]?.source == value, "\(name)\n\(generated.text)") }
      #expect(project.environments.map(\.name) == generated.environments.map(\.name), "\(generated.text)")
      for (environment, expected) in zip(project.environments, generated.environments) {
        #expect(environment.url?.source == expected.url, "\(generated.text)")
        #expect(environment.isDefault == expected.isDefault, "\(expected.name)\n\(generated.text)")
        #expect(environment.isProtected == (expected.isProtected ?? false), "\(expected.name)\n\(generated.text)")
      }
      #expect(project.taskOrder == generated.tasks.map(\.name), "\(generated.text)")
      for expected in generated.tasks {
        guard let task = project.tasks[expected.name] else {
          Issue.record("task `\(expected.name)` not loaded\n\(generated.text)")
          continue
        }
        #expect(task.description == expected.description, "\(expected.name)\n\(generated.text)")
        #expect(task.action?.key == expected.action, "\(expected.name)\n\(generated.text)")
        #expect(task.deps.map(\.name) == expected.deps, "\(expected.name)\n\(generated.text)")
        #expect(task.params == expected.params, "\(expected.name)\n\(generated.text)")
        #expect(task.timeout == expected.timeout?.seconds, "\(expected.name)\n\(generated.text)")
        #expect(task.isProtected == (expected.isProtected ?? false), "\(expected.name)\n\(generated.text)")
      }
    }
  }

  /// One way to break a valid file, at a line chosen by `choice`; nil when the file has no
  /// line it applies to. Returns the broken bytes and the line the damage is on.
  static func breakFile(_ text: String, kind: Int, choice: Int) -> (bytes: [UInt8], line: Int)? {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    func indent(_ line: String) -> Int { line.prefix { $0 == " " }.count }
    func isKeyLine(_ line: String) -> Bool {
      let body = line.drop { $0 == " " }
      return !body.isEmpty && !body.hasPrefix("#") && !body.hasPrefix("-") && body.contains(":")
        && body.first?.isLetter == true
    }
    func joined(_ lines: [String]) -> [UInt8] { Array((lines.joined(separator: "\n") + "\n").utf8) }
    switch kind {
    case 0:
      // A deleted colon: the one ending a block mapping's key.
      let candidates = lines.indices.filter { i in
        isKeyLine(lines[i]) && (lines[i].range(of: ": ") != nil || lines[i].hasSuffix(":"))
      }
      guard !candidates.isEmpty else { return nil }
      let i = candidates[choice % candidates.count]
      let key = lines[i].range(of: ": ") ?? lines[i].range(of: ":", options: .backwards)!
      lines[i].remove(at: key.lowerBound)
      return (joined(lines), i + 1)
    case 1:
      // A bad indent: a key one space off from the sibling key above it.
      let candidates = lines.indices.filter { i in
        guard i > 0, isKeyLine(lines[i]) else { return false }
        let own = indent(lines[i])
        guard let sibling = lines[..<i].lastIndex(where: { isKeyLine($0) && indent($0) <= own }) else { return false }
        return indent(lines[sibling]) == own
      }
      guard !candidates.isEmpty else { return nil }
      let i = candidates[choice % candidates.count]
      lines[i] = (choice % 2 == 0 || indent(lines[i]) == 0) ? " " + lines[i] : String(lines[i].dropFirst())
      return (joined(lines), i + 1)
    case 2:
      // An unknown key in a block mapping, beside a key of it; not in `vars:`, where any
      // name is a variable.
      let candidates = lines.indices.filter { i in
        let parent = lines[..<i].last { isKeyLine($0) && indent($0) < indent(lines[i]) }
        return isKeyLine(lines[i]) && parent?.drop { $0 == " " }.hasPrefix("vars:") != true
      }
      let i = candidates[choice % candidates.count]
      lines.insert(String(repeating: " ", count: indent(lines[i])) + "bogus_key: 1", at: i)
      return (joined(lines), i + 1)
    default:
      // A byte that is not UTF-8 somewhere in a line.
      let i = choice % lines.count
      var bytes = Array(lines[i].utf8)
      let bad: [[UInt8]] = [[0xFF], [0xC3], [0x80], [0xE2, 0x82], [0xC0, 0xAF], [0xED, 0xA0, 0x80]]
      bytes.insert(contentsOf: bad[choice % bad.count], at: (choice / 7) % (bytes.count + 1))
      var broken: [UInt8] = lines[..<i].flatMap { Array($0.utf8) + [10] }
      broken += bytes
      for rest in lines[(i + 1)...] { broken += [10] + Array(rest.utf8) }
      broken.append(10)
      return (broken, i + 1)
    }
  }

  @Test("a deleted colon, a bad indent, an unknown key or invalid UTF-8 gives a diagnostic inside the file")
  func brokenProjectsAreReported() async throws {
    let input = Gen.int(in: 0...1_000_000).array(of: 0...120)
    await SeededProperty.check(count: 400, input: zip(input, Gen.int(in: 0...3), Gen.int(in: 0...1_000_000))) {
      (values, kind, choice) in
      let text = GeneratedProject(values).text
      guard let (bytes, line) = Self.breakFile(text, kind: kind, choice: choice) else { return }
      let (_, diagnostics) = try Self.load(bytes)
      let shown = String(decoding: bytes, as: UTF8.self)
      let lines = Self.lineCount(shown)
      let inside = diagnostics.filter { ($0.location?.line ?? 0) >= 1 && ($0.location?.line ?? 0) <= lines }
      #expect(!inside.isEmpty, "kind \(kind) at line \(line): \(diagnostics.map { "\($0.location?.description ?? "-"): \($0.message)" })\n\(shown)")
      if kind >= 2 {
        // An unknown key and a bad byte are reported on their own line.
        #expect(inside.contains { $0.location?.line == line }, "kind \(kind) at line \(line): \(diagnostics.map { "\($0.location?.description ?? "-"): \($0.message)" })\n\(shown)")
      }
    }
  }
}

/// A minimal executor for loader tests: accepts any value. Core tests run without Postgres.
struct PassThroughExecutor: Executor {
  struct Spec: StepSpec { var value: YAMLNode }
  let actionKey: String
  var taskKeys: Set<String> { ["on"] }
  func decode(_ input: ActionInput, diagnostics: inout [Diagnostic]) -> Spec? {
    Spec(value: input.value)
  }
  func prepare(_ spec: Spec, in context: PlanContext) throws -> String { spec.value.string ?? "" }
  func describe(_ prepared: String) -> StepDescription {
    StepDescription(target: nil, summary: "\(actionKey) \(prepared)")
  }
  func run(_ prepared: String, spec: Spec, step: PlannedStep, in context: StepContext) async throws {}
}
