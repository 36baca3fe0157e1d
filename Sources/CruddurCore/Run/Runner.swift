import Foundation

/// Runs a plan's steps in order, stopping at the first failure, and reports every
/// step's fate in the summary.
public struct Runner: Sendable {
  public let events: any EventSink
  public let projectRoot: String
  public let isVerbose: Bool
  public let arguments: [String]

  public init(events: any EventSink, projectRoot: String, isVerbose: Bool = false, arguments: [String] = []) {
    self.events = events
    self.projectRoot = projectRoot
    self.isVerbose = isVerbose
    self.arguments = arguments
  }

  /// Runs every step; returns the summary and, on failure, the failing step's diagnostics.
  public func run(_ executable: ExecutablePlan) async -> (RunSummary, [Diagnostic]) {
    let clock = ContinuousClock()
    let started = clock.now
    let resources = RunResources()
    events.emit(.runStarted(executable.plan))
    var results: [RunSummary.StepResult] = []
    var failure: [Diagnostic] = []
    var interrupted = false
    for binding in executable.bindings {
      let step = binding.step
      if !failure.isEmpty || interrupted || Task.isCancelled {
        results.append(.init(number: step.number, task: step.task, outcome: .notStarted, seconds: nil))
        continue
      }
      events.emit(.stepStarted(step: step))
      let stepStart = clock.now
      let context = StepContext(
        environment: executable.environment, task: binding.task, scope: binding.scope, projectRoot: projectRoot, events: events,
        resources: resources, arguments: arguments, isVerbose: isVerbose)
      do {
        try await binding.executor.run(binding.spec, step: step, in: context)
        let elapsed = clock.now - stepStart
        events.emit(.stepFinished(step: step, duration: elapsed, note: nil))
        results.append(.init(number: step.number, task: step.task, outcome: .succeeded, seconds: elapsed.seconds))
      } catch {
        let elapsed = clock.now - stepStart
        let diagnostics: [Diagnostic]
        if Task.isCancelled || error is CancellationError {
          interrupted = true
          diagnostics = [.error("interrupted")]
          results.append(.init(number: step.number, task: step.task, outcome: .cancelled, seconds: elapsed.seconds))
        } else {
          diagnostics = Self.diagnostics(for: error)
          results.append(.init(number: step.number, task: step.task, outcome: .failed, seconds: elapsed.seconds))
          failure = diagnostics
        }
        events.emit(.stepFailed(step: step, duration: elapsed, diagnostics: diagnostics))
      }
    }
    await resources.closeAll()
    let summary = RunSummary(steps: results, seconds: (clock.now - started).seconds, isInterrupted: interrupted)
    events.emit(.runFinished(summary))
    return (summary, failure)
  }

  static func diagnostics(for error: any Error) -> [Diagnostic] {
    if let error = error as? any CruddurError { return error.diagnostics }
    return [.error(Redaction.redact(String(describing: error)))]
  }
}

extension Duration {
  public var seconds: Double {
    let (s, atto) = components
    return Double(s) + Double(atto) / 1e18
  }
}
