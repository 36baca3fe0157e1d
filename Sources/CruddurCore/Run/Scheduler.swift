/// Decides which step starts, which are cancelled, and when a run is over. A pure state
/// machine: the `Runner` feeds it what happened and carries out the actions it returns,
/// so fail-fast and `-j` are testable without processes or connections.
public struct Scheduler: Sendable {
  public enum Action: Sendable, Hashable {
    case start(Int)
    case cancel(Int)
    /// Nothing is running and nothing more will start.
    case finish
  }

  public enum State: Sendable, Hashable {
    case waiting
    case running
    case done(RunSummary.Outcome)
  }

  /// Step numbers in plan order; ready steps start in this order.
  public let order: [Int]
  public let maxParallel: Int
  private let after: [Int: [Int]]
  public private(set) var states: [Int: State]
  /// A step failed or the run was interrupted: nothing new starts.
  public private(set) var isStopping = false
  public private(set) var isInterrupted = false
  private var cancelRequested: Set<Int> = []
  private var isFinished = false

  public init(steps: [(number: Int, after: [Int])], maxParallel: Int) {
    order = steps.map(\.number)
    after = Dictionary(steps.map { ($0.number, $0.after) }, uniquingKeysWith: { a, _ in a })
    states = Dictionary(steps.map { ($0.number, State.waiting) }, uniquingKeysWith: { a, _ in a })
    self.maxParallel = max(1, maxParallel)
  }

  public init(plan: Plan, maxParallel: Int) {
    self.init(steps: plan.steps.map { ($0.number, $0.after) }, maxParallel: maxParallel)
  }

  /// The first actions of a run.
  public mutating func begin() -> [Action] { schedule() }

  /// A running step ended. A failure stops the run: running siblings are cancelled.
  public mutating func stepEnded(_ number: Int, _ outcome: RunSummary.Outcome) -> [Action] {
    guard states[number] == .running else { return [] }
    var outcome = outcome
    // A step stopped on our request reports a failure of its own (a cancelled query's
    // error, a killed process's status); it was cancelled, not the cause.
    if cancelRequested.contains(number), outcome == .failed { outcome = .cancelled }
    states[number] = .done(outcome)
    var actions: [Action] = []
    if outcome == .failed, !isStopping {
      isStopping = true
      actions += cancelRunning()
    }
    return actions + schedule()
  }

  /// The user interrupted the run: cancel everything running, start nothing new.
  public mutating func interrupt() -> [Action] {
    isInterrupted = true
    isStopping = true
    return cancelRunning() + schedule()
  }

  /// Whether the step was asked to stop.
  public func isCancelRequested(_ number: Int) -> Bool { cancelRequested.contains(number) }

  /// The step's fate for the summary; a step that never left `waiting` never started.
  public func outcome(of number: Int) -> RunSummary.Outcome {
    switch states[number] {
    case .done(let outcome): outcome
    case .running: .cancelled
    case .waiting, nil: .notStarted
    }
  }

  public var running: [Int] { order.filter { states[$0] == .running } }

  private mutating func cancelRunning() -> [Action] {
    var actions: [Action] = []
    for number in running where cancelRequested.insert(number).inserted {
      actions.append(.cancel(number))
    }
    return actions
  }

  private mutating func schedule() -> [Action] {
    guard !isFinished else { return [] }
    var actions: [Action] = []
    var runningCount = running.count
    if !isStopping {
      for number in order where runningCount < maxParallel && states[number] == .waiting {
        let ready = (after[number] ?? []).allSatisfy { dependency in
          switch states[dependency] {
          case .done(.succeeded), .done(.skipped), nil: true
          default: false
          }
        }
        guard ready else { continue }
        states[number] = .running
        runningCount += 1
        actions.append(.start(number))
      }
    }
    if runningCount == 0 {
      isFinished = true
      actions.append(.finish)
    }
    return actions
  }
}
