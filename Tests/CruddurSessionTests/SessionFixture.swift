import CruddurCore
import CruddurSession
import Foundation
import Testing

/// A project of tiny steps, planned in-process, and the parts a `RunSession` is made of
/// for one test: its log, its event sink, the stubborn steps' latch.
struct SessionFixture {
  static let yaml = """
    version: 1
    environments:
      local: { default: true, url: "postgres://u:secret@h/db" }
    tasks:
      one: { tiny: ok }
      two: { tiny: ok }
      guarded: { tiny: ok, protected: true }
      fails: { tiny: fail }
      waits: { tiny: wait }
      stubborn: { tiny: stubborn }
    """

  let log: SessionLog
  let sink: RecordingSink
  let stubborn = StubbornLatch()
  let executable: ExecutablePlan

  init(tasks: [String]) throws {
    log = SessionLog()
    sink = RecordingSink(log: log)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "cruddur-session-\(UUID())"
    ).path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try Self.yaml.write(toFile: directory + "/cruddur.yml", atomically: false, encoding: .utf8)
    let registry = ExecutorRegistry([TinyExecutor(log: log, stubborn: stubborn)])
    let (project, diagnostics) = ProjectDecoder(registry: registry).load(
      configPath: directory + "/cruddur.yml")
    #expect(diagnostics.isEmpty, "\(diagnostics)")
    let resolver = EnvironmentResolver(project: project)
    let environment = try resolver.select(explicit: nil, processEnvironment: [:])
    let scope = try resolver.scope(for: environment, overrides: [:], processEnvironment: [:])
    let resolved = try resolver.resolve(environment, in: scope)
    executable = try Planner(project: project, registry: registry).plan(
      tasks.map { Invocation(task: $0) }, environment: resolved, scope: scope)
  }

  /// A session of this plan that owns no signal: the test calls `stop()` itself.
  func session(
    consentGiven: Bool = true, guards: [any RunGuard] = [], afterSuccess: [AfterSuccessHook] = []
  ) -> RunSession {
    RunSession(
      executable: executable, runner: Runner(events: sink, projectRoot: "/"),
      consent: FakeConsent(gives: consentGiven, log: log), guards: guards,
      afterSuccess: afterSuccess,
      ownsProcess: false)
  }

  /// Two steps at once (`-j 2`), consent given, no guard.
  func parallelSession() -> RunSession {
    RunSession(
      executable: executable, runner: Runner(events: sink, projectRoot: "/", maxParallel: 2),
      consent: FakeConsent(gives: true, log: log), ownsProcess: false)
  }

  func guardNamed(_ name: String, _ behaviour: FakeGuard.Behaviour = .take) -> FakeGuard {
    FakeGuard(name: name, behaviour: behaviour, log: log)
  }

  /// A hook that logs `hook NAME`, then fails with `failure` when given.
  func hook(_ name: String, failing failure: CruddurCore.ExitStatus? = nil) -> AfterSuccessHook {
    { [log] _ in
      log.append("hook \(name)")
      if let failure { throw TestError(status: failure, message: "hook \(name) failed") }
    }
  }
}
