import CruddurCore
import Foundation
import Testing

/// `--set` > process environment > task vars > environment vars > top vars > dotenv: for
/// every pair of sources, the higher one wins.
@Suite struct PrecedenceTests {
  enum Source: String, CaseIterable, Comparable {
    case set, process, task, environment, top, dotenv
    static func < (a: Source, b: Source) -> Bool {
      allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
  }

  static var pairs: [(Source, Source)] {
    Source.allCases.flatMap { a in Source.allCases.filter { a < $0 }.map { (a, $0) } }
  }

  func resolved(with sources: [Source]) throws -> String? {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cruddur-prec-\(UUID())").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let has = Set(sources)
    let yaml = """
      version: 1
      dotenv: [.env]
      \(has.contains(.top) ? "vars: { X: top }" : "")
      environments:
        local:
          default: true
          url: postgres://u@h/db
          \(has.contains(.environment) ? "vars: { X: environment }" : "")
      tasks:
        t:
          database: create
          \(has.contains(.task) ? "vars: { X: task }" : "")
      """
    try yaml.write(toFile: directory + "/cruddur.yml", atomically: false, encoding: .utf8)
    if has.contains(.dotenv) { try "X=dotenv\n".write(toFile: directory + "/.env", atomically: false, encoding: .utf8) }
    let registry = ExecutorRegistry([PassThroughExecutor(actionKey: "database")])
    let (project, diagnostics) = ProjectDecoder(registry: registry).load(configPath: directory + "/cruddur.yml")
    #expect(diagnostics.isEmpty, "\(diagnostics)")
    let resolver = EnvironmentResolver(project: project)
    let environment = try resolver.select(explicit: nil, processEnvironment: [:])
    let scope = try resolver.scope(
      for: environment, overrides: has.contains(.set) ? ["X": "set"] : [:],
      processEnvironment: has.contains(.process) ? ["X": "process"] : [:])
    let resolved = try resolver.resolve(environment, in: scope)
    let plan = try Planner(project: project, registry: registry).plan([Invocation(task: "t")], environment: resolved, scope: scope)
    return plan.bindings.first?.scope.value("X")
  }

  @Test("the higher source wins", arguments: pairs.map { "\($0.0.rawValue)>\($0.1.rawValue)" })
  func pair(_ name: String) throws {
    let parts = name.split(separator: ">").map { Source(rawValue: String($0))! }
    #expect(try resolved(with: parts) == parts[0].rawValue)
  }

  @Test("each source alone is used", arguments: Source.allCases.map(\.rawValue))
  func alone(_ name: String) throws {
    #expect(try resolved(with: [Source(rawValue: name)!]) == name)
  }
}
