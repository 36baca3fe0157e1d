import CruddurCore
import Testing

/// The fleet scheduler without a database: random completion orders, checking every bound
/// after every step.
@Suite struct FleetSchedulerTests {
  /// Drives the scheduler to the end, finishing running targets in an order chosen by
  /// `pick`, and checks the bounds at every point. Returns the start order.
  @discardableResult
  func drive(
    _ scheduler: inout FleetScheduler, servers: [String], fails: Set<Int> = [],
    pick: (inout [Int]) -> Int = { $0.removeFirst() }
  ) -> [Int] {
    var running: [Int] = []
    var started: [Int] = []
    var actions = scheduler.begin()
    var finished = false
    while true {
      for action in actions {
        switch action {
        case .start(let i):
          running.append(i)
          started.append(i)
        case .finish: finished = true
        }
      }
      #expect(running.count <= scheduler.limits.parallel)
      for server in Set(servers) {
        let used =
          running.filter { servers[$0] == server }.count * scheduler.limits.connectionsPerTarget
        if let bound = scheduler.limits.perServer[server] {
          #expect(used <= bound, "\(server): \(used) > \(bound)")
        }
        #expect(used == scheduler.connections(on: server))
      }
      if finished { break }
      guard !running.isEmpty else {
        Issue.record("nothing running and no finish")
        break
      }
      let next = pick(&running)
      actions = scheduler.finished(next, succeeded: !fails.contains(next))
    }
    #expect(running.isEmpty)
    return started
  }

  static let servers = (0..<200).map { $0 % 3 == 0 ? "b:5433" : "a:5432" }

  @Test(
    "per-server connections and overall parallelism never exceed their bounds, whatever the finishing order"
  )
  func bounds() {
    var generator = FleetTestRandom(seed: 7)
    for round in 0..<50 {
      let limits = FleetScheduler.Limits(
        parallel: 1 + round % 9, connectionsPerTarget: 1 + round % 2,
        perServer: ["a:5432": 4 + round % 3, "b:5433": 2 + round % 2])
      var scheduler = FleetScheduler(servers: Self.servers, limits: limits)
      let started = drive(&scheduler, servers: Self.servers) { running in
        running.remove(at: Int(generator.next() % UInt64(running.count)))
      }
      #expect(started.sorted() == Array(Self.servers.indices), "every target starts once")
      #expect(scheduler.succeededCount == Self.servers.count)
      #expect(scheduler.stopReason == nil)
    }
  }

  @Test("a failed canary starts nothing else; the others are left not started")
  func canaryStops() {
    var scheduler = FleetScheduler(servers: Self.servers, limits: .init(parallel: 8, canary: 3))
    let started = drive(&scheduler, servers: Self.servers, fails: [1])
    #expect(started.sorted() == [0, 1, 2])
    #expect(scheduler.stopReason == .canaryFailed(failed: 1, of: 3))
    #expect((3..<200).allSatisfy { scheduler.outcome(of: $0) == .notStarted })
    #expect(scheduler.outcome(of: 1) == .failed && scheduler.outcome(of: 0) == .succeeded)
  }

  @Test("the canary runs alone first; once it passed, the rest runs")
  func canaryPasses() {
    var scheduler = FleetScheduler(servers: Self.servers, limits: .init(parallel: 8, canary: 3))
    var firstBatch: [Int] = []
    var actions = scheduler.begin()
    for case .start(let i) in actions { firstBatch.append(i) }
    #expect(firstBatch == [0, 1, 2])
    actions = scheduler.finished(0, succeeded: true)
    #expect(actions.isEmpty, "nothing after the canary starts before all of it has finished")
    actions = scheduler.finished(2, succeeded: true)
    #expect(actions.isEmpty)
    actions = scheduler.finished(1, succeeded: true)
    #expect(actions.count == 8)
  }

  @Test("failures are isolated: without --max-failures every other target still runs")
  func failuresIsolated() {
    var scheduler = FleetScheduler(servers: Self.servers, limits: .init(parallel: 8))
    let started = drive(&scheduler, servers: Self.servers, fails: [5, 50, 150])
    #expect(started.count == 200)
    #expect(scheduler.failedCount == 3 && scheduler.succeededCount == 197)
  }

  @Test("--max-failures K: no new start after K failures; running targets finish")
  func maxFailures() {
    var scheduler = FleetScheduler(
      servers: Self.servers, limits: .init(parallel: 4, maxFailures: 2))
    let started = drive(&scheduler, servers: Self.servers, fails: Set(0..<200))
    #expect(scheduler.stopReason == .maxFailures(2))
    // Four were running when the second failure came: they finish, nothing else starts.
    #expect(started.count == 5)
    #expect(scheduler.outcome(of: 199) == .notStarted)
  }

  @Test(
    "a per-server bound below one target's connections still lets one target run at a time, never zero"
  )
  func boundBelowOneTarget() {
    var scheduler = FleetScheduler(
      servers: ["a", "a", "a"],
      limits: .init(parallel: 3, connectionsPerTarget: 2, perServer: ["a": 1]))
    var starts = 0
    var actions = scheduler.begin()
    while !actions.contains(.finish) {
      let running = actions.compactMap { if case .start(let i) = $0 { i } else { nil } }
      starts += running.count
      #expect(running.count <= 1)
      actions = running.isEmpty ? [] : scheduler.finished(running[0], succeeded: true)
      if actions.isEmpty { break }
    }
    #expect(starts == 3)
  }
}

/// A small deterministic generator, so a failing order can be replayed.
struct FleetTestRandom {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }
}
