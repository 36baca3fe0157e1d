/// Decides which fleet targets start when, as a pure state machine (the fleet runner
/// drives it; tests drive it without a database): at most `parallel` targets at once, at
/// most `perServer` connections on each server (a running target holds
/// `connectionsPerTarget` of them), the first `canary` targets alone first, and no new
/// start once the canary failed or `maxFailures` targets have failed. A target's failure
/// never stops another that is running.
public struct FleetScheduler: Sendable {
  public struct Limits: Sendable, Equatable {
    public var parallel: Int
    public var connectionsPerTarget: Int
    /// Connections at most by server key; a server missing here has no bound of its own.
    public var perServer: [String: Int]
    public var canary: Int
    public var maxFailures: Int?

    public init(
      parallel: Int, connectionsPerTarget: Int = 1, perServer: [String: Int] = [:], canary: Int = 0,
      maxFailures: Int? = nil
    ) {
      self.parallel = max(1, parallel)
      self.connectionsPerTarget = max(1, connectionsPerTarget)
      self.perServer = perServer
      self.canary = max(0, canary)
      self.maxFailures = maxFailures
    }
  }

  public enum Outcome: String, Sendable, Equatable {
    case pending, running, succeeded, failed
    /// Never started: the canary failed, or `--max-failures` was reached.
    case notStarted = "not started"
  }

  public enum Action: Sendable, Equatable {
    case start(Int)
    /// Nothing runs and nothing more will start.
    case finish
  }

  public enum StopReason: Sendable, Equatable {
    case canaryFailed(failed: Int, of: Int)
    case maxFailures(Int)
  }

  public let limits: Limits
  private let servers: [String]
  private var outcomes: [Outcome]
  /// Indices not started yet, in fleet order.
  private var pending: [Int]
  private var used: [String: Int] = [:]
  private var running = 0
  private var failures = 0
  private var canaryLeft: Int
  private var canaryFailures = 0
  public private(set) var stopReason: StopReason?
  private var isFinished = false

  /// `servers[i]` is the server key (host:port) of target `i`.
  public init(servers: [String], limits: Limits) {
    self.servers = servers
    self.limits = limits
    outcomes = Array(repeating: .pending, count: servers.count)
    pending = Array(servers.indices)
    canaryLeft = min(limits.canary, servers.count)
  }

  public func outcome(of index: Int) -> Outcome { outcomes[index] }
  public var failedCount: Int { failures }
  public var runningCount: Int { running }
  public var succeededCount: Int { outcomes.lazy.filter { $0 == .succeeded }.count }
  public var leftCount: Int { pending.count }
  /// Connections in use on `server` now, as the scheduler counts them.
  public func connections(on server: String) -> Int { used[server] ?? 0 }

  public mutating func begin() -> [Action] { next() }

  public mutating func finished(_ index: Int, succeeded: Bool) -> [Action] {
    precondition(outcomes[index] == .running, "target \(index) was not running")
    outcomes[index] = succeeded ? .succeeded : .failed
    running -= 1
    used[servers[index], default: 0] -= limits.connectionsPerTarget
    if !succeeded { failures += 1 }
    if index < limits.canary {
      canaryLeft -= 1
      if !succeeded { canaryFailures += 1 }
      if canaryLeft == 0, canaryFailures > 0, stopReason == nil {
        stopReason = .canaryFailed(failed: canaryFailures, of: min(limits.canary, servers.count))
      }
    }
    if let maximum = limits.maxFailures, failures >= maximum, stopReason == nil {
      stopReason = .maxFailures(maximum)
    }
    return next()
  }

  private mutating func next() -> [Action] {
    guard !isFinished else { return [] }
    var actions: [Action] = []
    if stopReason == nil {
      var position = 0
      while running < limits.parallel, position < pending.count {
        let index = pending[position]
        // The canary runs alone: nothing after it starts before all of it has finished.
        if canaryLeft > 0, index >= limits.canary { break }
        let server = servers[index]
        let bound = limits.perServer[server].map { max($0, limits.connectionsPerTarget) } ?? .max
        if (used[server] ?? 0) + limits.connectionsPerTarget > bound {
          position += 1
          continue
        }
        pending.remove(at: position)
        outcomes[index] = .running
        used[server, default: 0] += limits.connectionsPerTarget
        running += 1
        actions.append(.start(index))
      }
    }
    if running == 0, stopReason != nil || pending.isEmpty {
      for index in pending { outcomes[index] = .notStarted }
      pending = []
      isFinished = true
      actions.append(.finish)
    }
    return actions
  }
}
