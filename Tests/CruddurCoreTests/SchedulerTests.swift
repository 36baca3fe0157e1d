import CruddurCore
import Testing

@Suite struct SchedulerTests {
  /// 1 and 2 are independent; 3 needs both; 4 needs 3.
  func diamond(_ jobs: Int) -> Scheduler {
    Scheduler(steps: [(1, []), (2, []), (3, [1, 2]), (4, [3])], maxParallel: jobs)
  }

  @Test("independent steps start together up to -j; a dependent waits for all its prerequisites")
  func parallelUpToJobs() {
    var scheduler = diamond(2)
    #expect(scheduler.begin() == [.start(1), .start(2)])
    #expect(scheduler.stepEnded(1, .succeeded) == [])
    #expect(scheduler.stepEnded(2, .succeeded) == [.start(3)])
    #expect(scheduler.stepEnded(3, .succeeded) == [.start(4)])
    #expect(scheduler.stepEnded(4, .succeeded) == [.finish])
    #expect([1, 2, 3, 4].map(scheduler.outcome(of:)) == [.succeeded, .succeeded, .succeeded, .succeeded])
  }

  @Test("-j 1 runs one step at a time, in plan order")
  func oneAtATime() {
    var scheduler = diamond(1)
    #expect(scheduler.begin() == [.start(1)])
    #expect(scheduler.stepEnded(1, .succeeded) == [.start(2)])
    #expect(scheduler.stepEnded(2, .succeeded) == [.start(3)])
  }

  @Test("the first failure cancels running siblings and starts nothing new")
  func failFast() {
    var scheduler = Scheduler(steps: [(1, []), (2, []), (3, []), (4, [1])], maxParallel: 2)
    #expect(scheduler.begin() == [.start(1), .start(2)])
    #expect(scheduler.stepEnded(2, .failed) == [.cancel(1)])
    // The cancelled sibling reports an error of its own; it counts as cancelled.
    #expect(scheduler.stepEnded(1, .failed) == [.finish])
    #expect([1, 2, 3, 4].map(scheduler.outcome(of:)) == [.cancelled, .failed, .notStarted, .notStarted])
  }

  @Test("a skipped step satisfies its dependents")
  func skippedSatisfies() {
    var scheduler = Scheduler(steps: [(1, []), (2, [1])], maxParallel: 4)
    #expect(scheduler.begin() == [.start(1)])
    #expect(scheduler.stepEnded(1, .skipped) == [.start(2)])
  }

  @Test("an interrupt cancels everything running, once, and finishes when they end")
  func interrupt() {
    var scheduler = diamond(2)
    _ = scheduler.begin()
    #expect(scheduler.interrupt() == [.cancel(1), .cancel(2)])
    #expect(scheduler.interrupt() == [])
    #expect(scheduler.stepEnded(1, .succeeded) == [])
    #expect(scheduler.stepEnded(2, .cancelled) == [.finish])
    #expect(scheduler.isInterrupted)
    #expect([1, 2, 3, 4].map(scheduler.outcome(of:)) == [.succeeded, .cancelled, .notStarted, .notStarted])
  }

  @Test("an empty plan finishes at once")
  func empty() {
    var scheduler = Scheduler(steps: [], maxParallel: 2)
    #expect(scheduler.begin() == [.finish])
  }
}
