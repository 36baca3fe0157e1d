import Foundation
import Synchronization

/// Runs a plan's steps, independent ones in parallel up to `maxParallel`, as the
/// `Scheduler` decides: the first failure cancels running siblings and starts nothing new,
/// and the summary reports every step's fate.
public struct Runner: Sendable {
  public let events: any EventSink
  public let projectRoot: String
  public let isVerbose: Bool
  public let isQuiet: Bool
  public let maxParallel: Int
  public let resources: RunResources
  public let dynamicValues: (any DynamicValueResolver)?
  public let queryCheck: (any QueryCheck)?
  /// When the command began (reading the project, planning), so the summary's time is
  /// the whole command's, not only the steps'.
  public let startedAt: ContinuousClock.Instant?

  public init(
    events: any EventSink, projectRoot: String, isVerbose: Bool = false, isQuiet: Bool = false,
    maxParallel: Int = 1, resources: RunResources = RunResources(),
    dynamicValues: (any DynamicValueResolver)? = nil, queryCheck: (any QueryCheck)? = nil,
    startedAt: ContinuousClock.Instant? = nil
  ) {
    self.startedAt = startedAt
    self.events = events
    self.projectRoot = projectRoot
    self.isVerbose = isVerbose
    self.isQuiet = isQuiet
    self.maxParallel = max(1, maxParallel)
    self.resources = resources
    self.dynamicValues = dynamicValues
    self.queryCheck = queryCheck
  }

  struct Completion: Sendable {
    var number: Int
    var outcome: RunSummary.Outcome
    var seconds: Double
    var diagnostics: [Diagnostic]
    var status: ExitStatus = .stepFailed
  }

  /// Runs the plan; returns the summary and, on failure, the first failing step's diagnostics.
  /// Cancelling the calling task interrupts the run: running steps are cancelled.
  public func run(_ executable: ExecutablePlan) async -> (RunSummary, [Diagnostic]) {
    let clock = ContinuousClock()
    let started = startedAt ?? clock.now
    events.emit(.runStarted(executable.plan))
    let bindings = Dictionary(executable.bindings.map { ($0.step.number, $0) }, uniquingKeysWith: { a, _ in a })
    var scheduler = Scheduler(plan: executable.plan, maxParallel: maxParallel)
    var seconds: [Int: Double] = [:]
    var failure: [Diagnostic] = []
    var failureStatus: ExitStatus?
    let handles = StepHandles()

    await withTaskGroup(of: Completion.self) { group in
      var actions = scheduler.begin()
      while true {
        var isFinished = false
        for action in actions {
          switch action {
          case .start(let number):
            guard let binding = bindings[number] else { continue }
            let environment = executable.environment
            group.addTask {
              let task = Task { await self.execute(binding, environment: environment) }
              handles.register(number, task)
              return await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
            }
          case .cancel(let number):
            handles.cancel(number)
          case .finish:
            isFinished = true
          }
        }
        actions = []
        if isFinished { break }
        guard let completion = await group.next() else { break }
        // Interrupt before looking at the completion: a step stopped by the interrupt
        // reports an error of its own, which must count as cancelled, not as the failure.
        if Task.isCancelled, !scheduler.isInterrupted { actions += scheduler.interrupt() }
        seconds[completion.number] = completion.seconds
        if completion.outcome == .failed, failure.isEmpty, !scheduler.isCancelRequested(completion.number) {
          failure = completion.diagnostics
          failureStatus = completion.status
        }
        actions += scheduler.stepEnded(completion.number, completion.outcome)
      }
    }

    await resources.closeAll()
    let results = executable.plan.steps.map { step in
      RunSummary.StepResult(
        number: step.number, task: step.task, outcome: scheduler.outcome(of: step.number), seconds: seconds[step.number])
    }
    var summary = RunSummary(
      steps: results, seconds: (clock.now - started).seconds, isInterrupted: scheduler.isInterrupted)
    summary.failureStatus = summary.isInterrupted ? nil : failureStatus
    events.emit(.runFinished(summary))
    return (summary, summary.isInterrupted ? [] : failure)
  }

  /// One step: its run-time variables, its `unless` check, then its executor.
  private func execute(_ binding: ExecutablePlan.Binding, environment: ResolvedEnvironment) async -> Completion {
    let step = binding.step
    let clock = ContinuousClock()
    let stepStart = clock.now
    events.emit(.stepStarted(step: step))
    let context = StepContext(
      environment: environment, task: binding.task, scope: binding.scope, projectRoot: projectRoot, events: events,
      resources: resources, isVerbose: isVerbose, isQuiet: isQuiet, dynamicValues: dynamicValues,
      queryCheck: queryCheck)
    do {
      let skipped = try await StepDeadline.run(seconds: binding.task.timeout) { [context] () async throws -> String? in
        var context = context
        context.scope = try await resolveCommandVariables(binding, context: context)
        if let reason = try await skipReason(binding, context: context) { return reason }
        try Task.checkCancellation()
        try await binding.action.run(step: step, in: context)
        return nil
      }
      if let reason = skipped {
        let elapsed = clock.now - stepStart
        events.emit(.stepSkipped(step: step, reason: reason))
        return Completion(number: step.number, outcome: .skipped, seconds: elapsed.seconds, diagnostics: [])
      }
      let elapsed = clock.now - stepStart
      events.emit(.stepFinished(step: step, duration: elapsed, note: nil))
      return Completion(number: step.number, outcome: .succeeded, seconds: elapsed.seconds, diagnostics: [])
    } catch {
      let elapsed = clock.now - stepStart
      if Task.isCancelled || error is CancellationError {
        events.emit(.stepCancelled(step: step, duration: elapsed))
        return Completion(number: step.number, outcome: .cancelled, seconds: elapsed.seconds, diagnostics: [])
      }
      let diagnostics = Self.diagnostics(for: error)
      events.emit(
        .stepFailed(
          step: step, duration: elapsed, diagnostics: diagnostics, exitCode: (error as? any ExitCodeReporting)?.exitCode))
      return Completion(
        number: step.number, outcome: .failed, seconds: elapsed.seconds, diagnostics: diagnostics,
        status: (error as? any CruddurError)?.exitStatus ?? .stepFailed)
    }
  }

  /// `vars: { X: { sh: ... } }`, evaluated now unless `--set` or the process environment
  /// already gives X (they rank above task vars).
  private func resolveCommandVariables(_ binding: ExecutablePlan.Binding, context: StepContext) async throws -> Scope {
    let commands = binding.task.vars.compactMap { name, value -> (String, String)? in
      guard case .command(let command, _) = value else { return nil }
      if let origin = context.scope.lookup(name)?.origin, origin.isFromOutside { return nil }
      return (name, command)
    }.sorted { $0.0 < $1.0 }
    guard !commands.isEmpty else { return context.scope }
    guard let resolver = dynamicValues else {
      throw RunError(.shVariablesUnavailable(task: binding.step.task))
    }
    var values: [String: String] = [:]
    for (name, command) in commands {
      if isVerbose { events.emit(.stepCommand(step: binding.step, text: "\(name) = $(\(command))")) }
      do {
        values[name] = try await resolver.output(
          of: command, environment: try context.processEnvironment(), directory: projectRoot)
      } catch let error as any CruddurError where !(error is ConfigError) {
        throw RunError(
          .computedVariableFailed(name: name, command: command, reasons: error.diagnostics.map(\.message)))
      }
    }
    return context.scope.inserting(.init(.computedTaskVars, values))
  }

  private func skipReason(_ binding: ExecutablePlan.Binding, context: StepContext) async throws -> String? {
    switch binding.task.unless {
    case nil:
      return nil
    case .sh(let command, _):
      guard let resolver = dynamicValues else {
        throw RunError(.unlessShellUnavailable(task: binding.step.task))
      }
      if isVerbose { events.emit(.stepCommand(step: binding.step, text: "unless: \(command)")) }
      let succeeded = try await resolver.succeeds(
        command, environment: try context.processEnvironment(), directory: projectRoot)
      return succeeded ? "`\(command)` exited 0" : nil
    case .sql(let sql, _):
      guard let queryCheck else {
        throw RunError(.unlessSQLUnavailable(task: binding.step.task))
      }
      if isVerbose { events.emit(.stepCommand(step: binding.step, text: "unless: \(sql)")) }
      return try await queryCheck.returnsRow(sql, step: binding.step, in: context) ? "the `unless` query returned a row" : nil
    }
  }

  static func diagnostics(for error: any Error) -> [Diagnostic] {
    if let error = error as? any CruddurError { return error.diagnostics }
    return [.error(Redaction.redact(String(describing: error)))]
  }
}

/// The tasks running the steps, so the runner can cancel one by its number.
final class StepHandles: Sendable {
  // A cancel may arrive before its task registers; it is remembered and applied on
  // registration.
  private struct State {
    var tasks: [Int: Task<Runner.Completion, Never>] = [:]
    var cancelled: Set<Int> = []
  }
  private let state = Mutex(State())

  func register(_ number: Int, _ task: Task<Runner.Completion, Never>) {
    let isCancelled = state.withLock { state in
      state.tasks[number] = task
      return state.cancelled.contains(number)
    }
    if isCancelled { task.cancel() }
  }

  func cancel(_ number: Int) {
    let task = state.withLock { state in
      state.cancelled.insert(number)
      return state.tasks[number]
    }
    task?.cancel()
  }
}

extension Duration {
  public var seconds: Double {
    let (s, atto) = components
    return Double(s) + Double(atto) / 1e18
  }
}
