import CruddurCore
import CruddurSession
import Testing

/// The run's orchestration in-process: consent, then guards, then the runner (real, over
/// tiny executors), then after-success hooks, then the guards released, and one exit status
/// (the precedence table in `RunSession`'s doc comment).
@Suite struct RunSessionTests {
  // MARK: consent

  @Test("consent refused: no guard acquired, no step run, the refusal's status (3)")
  func consentRefused() async throws {
    let fixture = try SessionFixture(tasks: ["guarded", "one"])
    let outcome = await fixture.session(consentGiven: false, guards: [fixture.guardNamed("lock")])
      .run()
    #expect(outcome.status == .refused)
    #expect(
      (outcome.error as? RunError)?.kind.code
        == RunErrorKind.consentNotConfirmed(environment: "local").code)
    #expect(outcome.summary == nil)
    #expect(fixture.log.entries == ["consent local"])
    #expect(!fixture.sink.runStarted)
  }

  @Test("consent given: the guard is taken, the steps run, 0")
  func consentGiven() async throws {
    let fixture = try SessionFixture(tasks: ["guarded"])
    let outcome = await fixture.session(consentGiven: true, guards: [fixture.guardNamed("lock")])
      .run()
    #expect(outcome.status == .ok)
    #expect(outcome.error == nil)
    #expect(
      fixture.log.entries == [
        "consent local", "acquire lock", "step guarded", "step guarded done", "release lock",
      ])
  }

  @Test(
    "a plan with no step needing consent does not ask for it, even from a source that would refuse")
  func consentNotAsked() async throws {
    let fixture = try SessionFixture(tasks: ["one"])
    let outcome = await fixture.session(consentGiven: false).run()
    #expect(outcome.status == .ok)
    #expect(fixture.log.entries == ["step one", "step one done"])
  }

  @Test("the consent request names the environment, the masked target and each step")
  func consentRequest() throws {
    let fixture = try SessionFixture(tasks: ["one", "guarded"])
    let request = try #require(ConsentRequest(fixture.executable))
    #expect(request.environment == "local")
    #expect(!request.target.contains("secret"))
    #expect(request.steps.count == 1)
    #expect(request.steps.first?.contains("guarded") == true)
    #expect(request.notice == fixture.executable.plan.consentNotice)
  }

  // MARK: guards

  @Test("a guard that refuses: no step run, its status, the guards taken before it released")
  func guardRefuses() async throws {
    let fixture = try SessionFixture(tasks: ["one"])
    let guards = [fixture.guardNamed("first"), fixture.guardNamed("second", .refuse(.configError))]
    let outcome = await fixture.session(guards: guards, afterSuccess: [fixture.hook("record")])
      .run()
    #expect(outcome.status == .configError)
    #expect((outcome.error as? TestError)?.message == "second refused")
    #expect(outcome.summary == nil)
    #expect(fixture.log.entries == ["acquire first", "acquire second", "release first"])
    #expect(!fixture.sink.runStarted)
  }

  @Test(
    "on success the hooks run while the guards are held, then the guards are released, last taken first"
  )
  func releasedOnSuccess() async throws {
    let fixture = try SessionFixture(tasks: ["one"])
    let outcome = await fixture.session(
      guards: [fixture.guardNamed("a"), fixture.guardNamed("b")],
      afterSuccess: [fixture.hook("first"), fixture.hook("second")]
    ).run()
    #expect(outcome.status == .ok)
    #expect(outcome.summary?.succeeded == true)
    #expect(
      fixture.log.entries == [
        "acquire a", "acquire b", "step one", "step one done", "hook first", "hook second",
        "release b", "release a",
      ])
  }

  @Test("a step that fails: the step's own status, no hook, the guard released")
  func releasedOnStepFailure() async throws {
    let fixture = try SessionFixture(tasks: ["fails"])
    let outcome = await fixture.session(
      guards: [fixture.guardNamed("lock")], afterSuccess: [fixture.hook("record")]
    )
    .run()
    #expect(outcome.status == .configError)
    #expect(outcome.error == nil)  // the step's diagnostics went to the events
    #expect(outcome.summary?.succeeded == false)
    #expect(fixture.log.entries == ["acquire lock", "step fails", "failed fails", "release lock"])
  }

  @Test(
    "an after-success hook that fails: its status and error, the later hooks skipped, the guard released"
  )
  func releasedWhenHookFails() async throws {
    let fixture = try SessionFixture(tasks: ["one"])
    let outcome = await fixture.session(
      guards: [fixture.guardNamed("lock")],
      afterSuccess: [fixture.hook("record", failing: .refused), fixture.hook("never")]
    ).run()
    #expect(outcome.status == .refused)
    #expect((outcome.error as? TestError)?.message == "hook record failed")
    #expect(outcome.summary?.succeeded == true)
    #expect(
      fixture.log.entries == [
        "acquire lock", "step one", "step one done", "hook record", "release lock",
      ])
  }

  // MARK: stops

  @Test("stopped while a step runs: 130, the step cancelled, no hook, the guard released")
  func releasedOnCancellation() async throws {
    let fixture = try SessionFixture(tasks: ["waits"])
    let session = fixture.session(
      guards: [fixture.guardNamed("lock")], afterSuccess: [fixture.hook("record")])
    let running = Task { await session.run() }
    await fixture.log.reached("step waits")
    session.stop()
    let outcome = await running.value
    #expect(outcome.status == .interrupted)
    #expect(outcome.summary?.isInterrupted == true)
    #expect(fixture.log.entries == ["acquire lock", "step waits", "release lock"])
  }

  @Test("stopped before run(): consent is not asked and nothing runs; 130")
  func stoppedBeforeRun() async throws {
    let fixture = try SessionFixture(tasks: ["guarded"])
    let session = fixture.session(guards: [fixture.guardNamed("lock")])
    session.stop()
    let outcome = await session.run()
    #expect(outcome.status == .interrupted)
    #expect(outcome.summary == nil)
    #expect(fixture.log.entries.isEmpty)
    #expect(!fixture.sink.runStarted)
  }

  @Test("stopped after a guard was taken, before the runner: no step runs, the guard released; 130")
  func stoppedBeforeRunner() async throws {
    let fixture = try SessionFixture(tasks: ["one"])
    let stopper = StopRelay()
    let session = fixture.session(
      guards: [
        fixture.guardNamed("lock", .takeThenStop { stopper.stop() }), fixture.guardNamed("later"),
      ])
    stopper.session = session
    let outcome = await session.run()
    #expect(outcome.status == .interrupted)
    #expect(outcome.summary == nil)
    #expect(fixture.log.entries == ["acquire lock", "release lock"])
    #expect(!fixture.sink.runStarted)
  }

  @Test(
    "stopped while a guard waits (the lock under --wait): the wait ends, nothing runs; 130, no error shown"
  )
  func stoppedWhileGuardWaits() async throws {
    let fixture = try SessionFixture(tasks: ["one"])
    let session = fixture.session(guards: [
      fixture.guardNamed("held"), fixture.guardNamed("lock", .waitUntilCancelled),
    ])
    let running = Task { await session.run() }
    await fixture.log.reached("waiting lock")
    session.stop()
    let outcome = await running.value
    #expect(outcome.status == .interrupted)
    #expect(outcome.error == nil)
    #expect(
      fixture.log.entries == ["acquire held", "acquire lock", "waiting lock", "release held"])
    #expect(!fixture.sink.runStarted)
  }

  @Test("a forced stop returns 130 at once, while a step that ignores cancellation still runs")
  func forcedStop() async throws {
    let fixture = try SessionFixture(tasks: ["stubborn"])
    let session = fixture.session(afterSuccess: [fixture.hook("record")])
    let running = Task { await session.run() }
    await fixture.log.reached("step stubborn")
    session.stop()
    session.forceStop()
    let outcome = await running.value
    // Only the force can have ended it: the step is still held by the latch.
    #expect(!fixture.log.entries.contains("step stubborn done"))
    fixture.stubborn.release()
    #expect(outcome.status == .interrupted)
    #expect(outcome.summary == nil)
    #expect(!fixture.log.entries.contains("hook record"))
  }

  @Test(
    "without a stop, the stubborn step ends when let go and the run succeeds (the forced test's twin)"
  )
  func stubbornWithoutStop() async throws {
    let fixture = try SessionFixture(tasks: ["stubborn"])
    let session = fixture.session()
    let running = Task { await session.run() }
    await fixture.log.reached("step stubborn")
    fixture.stubborn.release()
    let outcome = await running.value
    #expect(outcome.status == .ok)
    #expect(fixture.log.entries == ["step stubborn", "step stubborn done"])
  }

  @Test(
    "a stop after the last step succeeded does not undo the run: the hooks run and the status is theirs"
  )
  func stopAfterSteps() async throws {
    let fixture = try SessionFixture(tasks: ["one"])
    let stopper = StopRelay()
    let session = fixture.session(afterSuccess: [{ _ in stopper.stop() }, fixture.hook("record")])
    stopper.session = session
    let outcome = await session.run()
    #expect(outcome.status == .ok)
    #expect(fixture.log.entries == ["step one", "step one done", "hook record"])
  }

  // MARK: precedence

  @Test("a step failure, then a stop while a sibling still runs: interrupted wins (rows 5 and 6)")
  func interruptBeatsFailure() async throws {
    let fixture = try SessionFixture(tasks: ["stubborn", "fails"])
    let session = fixture.parallelSession()
    let running = Task { await session.run() }
    // The runner has seen the failure; the stubborn sibling ignores the cancel it sent, so
    // the run is still going when the stop comes.
    await fixture.log.reached("failed fails")
    session.stop()
    fixture.stubborn.release()
    let outcome = await running.value
    #expect(outcome.status == .interrupted)
    #expect(outcome.summary?.isInterrupted == true)
  }

  @Test("the same failure without the stop: the failing step's status (the twin)")
  func failureWithoutStop() async throws {
    let fixture = try SessionFixture(tasks: ["stubborn", "fails"])
    let session = fixture.parallelSession()
    let running = Task { await session.run() }
    await fixture.log.reached("failed fails")
    fixture.stubborn.release()
    let outcome = await running.value
    #expect(outcome.status == .configError)
    #expect(outcome.summary?.isInterrupted == false)
  }
}

/// Lets a guard or hook made before the session call the session's `stop()`.
final class StopRelay: @unchecked Sendable {
  // Invariant: `session` is set before the session runs, and only read while it runs.
  var session: RunSession?
  func stop() { session?.stop() }
}
