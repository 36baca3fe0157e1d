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

    await propertyCheck(count: 400, input: Gen.int(in: 0...10_000_000).array(of: 1...6)) { edits in
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

/// A minimal executor for loader tests: accepts any value. Core tests run without Postgres.
struct PassThroughExecutor: Executor {
  struct Spec: StepSpec { var value: YAMLNode }
  let actionKey: String
  var taskKeys: Set<String> { ["on"] }
  func decode(_ input: ActionInput, diagnostics: inout [Diagnostic]) -> Spec? { Spec(value: input.value) }
  func describe(_ spec: Spec, in context: PlanContext) throws -> StepDescription {
    StepDescription(target: nil, summary: "\(actionKey) \(spec.value.string ?? "")")
  }
  func run(_ spec: Spec, step: PlannedStep, in context: StepContext) async throws {}
}
