import CruddurCore
import CruddurSession
import Testing

/// The session's own part, around a body other than one plan on one database: a fleet-like
/// body (`FleetLikeBody`: every target its own real runner). Consent, the stop before the
/// body starts, the forced stop, and the body's status (rows 1 to 4 of `Session`'s table).
@Suite struct SessionBodyTests {
  @Test("a stop before run(): consent is not asked, the body never starts; 130 and no report")
  func stoppedBeforeRun() async throws {
    let fixture = try SessionFixture(tasks: ["guarded"])
    let session = fixture.fleetSession()
    session.stop()
    let outcome = await session.run()
    #expect(outcome.status == .interrupted)
    #expect(outcome.report == nil)
    #expect(fixture.log.entries.isEmpty)
    #expect(!fixture.sink.runStarted)
  }

  @Test("a stop while consent is asked: the body never starts once it is given; 130")
  func stoppedDuringConsent() async throws {
    let fixture = try SessionFixture(tasks: ["guarded"])
    let relay = FleetStopRelay()
    let session = fixture.fleetSession(consent: StoppingConsent(relay: relay, log: fixture.log))
    relay.set(session)
    let outcome = await session.run()
    #expect(outcome.status == .interrupted)
    #expect(outcome.report == nil)
    #expect(fixture.log.entries == ["consent local for 3 targets"])
    #expect(!fixture.sink.runStarted)
  }

  @Test("consent refused for the fleet: the body never starts; the refusal's status (3)")
  func consentRefused() async throws {
    let fixture = try SessionFixture(tasks: ["guarded"])
    let outcome = await fixture.fleetSession(consentGiven: false).run()
    #expect(outcome.status == .refused)
    #expect(outcome.error is RunError)
    #expect(outcome.report == nil)
    #expect(fixture.log.entries == ["consent local"])
  }

  @Test("consent given: the body runs every target; 0 with the report (the refusal's twin)")
  func consentGiven() async throws {
    let fixture = try SessionFixture(tasks: ["guarded"])
    let outcome = await fixture.fleetSession().run()
    #expect(outcome.status == .ok)
    #expect(outcome.error == nil)
    #expect(outcome.report?.keys.sorted() == ["a", "b", "c"])
    #expect(outcome.report?.values.allSatisfy(\.succeeded) == true)
    #expect(fixture.log.entries.filter { $0 == "step guarded done" }.count == 3)
  }

  @Test("a failed body gives its own status (1), not its step's (2), and its report")
  func failedBody() async throws {
    let fixture = try SessionFixture(tasks: ["fails"])
    let outcome = await fixture.fleetSession().run()
    #expect(outcome.status == .stepFailed)
    #expect(outcome.error == nil)
    #expect(outcome.report?.count == 3)
    #expect(outcome.report?.values.contains(where: \.succeeded) == false)
  }

  @Test("a stop while the targets run: each runner is cancelled, the session waits; 130")
  func stoppedWhileRunning() async throws {
    let fixture = try SessionFixture(tasks: ["waits"])
    let session = fixture.fleetSession()
    let running = Task { await session.run() }
    await fixture.log.reached("step waits")
    session.stop()
    let outcome = await running.value
    #expect(outcome.status == .interrupted)
    #expect(outcome.report?.count == 3)
    #expect(outcome.report?.values.allSatisfy(\.isInterrupted) == true)
    #expect(!fixture.log.entries.contains("step waits done"))
    #expect(!fixture.log.entries.contains("force stop"))
  }

  @Test("a forced stop returns 130 at once, the body told to kill, while a target still runs")
  func forcedStop() async throws {
    let fixture = try SessionFixture(tasks: ["stubborn"])
    let session = fixture.fleetSession()
    let running = Task { await session.run() }
    await fixture.log.reached("step stubborn")
    session.stop()
    session.forceStop()
    let outcome = await running.value
    // Only the force can have ended it: every target's step is held by the latch.
    #expect(!fixture.log.entries.contains("step stubborn done"))
    fixture.stubborn.release()
    #expect(outcome.status == .interrupted)
    #expect(outcome.report == nil)
    #expect(fixture.log.entries.contains("force stop"))
  }

  @Test(
    "without the force, the stubborn targets end when let go and the body's status is 0 (the twin)")
  func stubbornWithoutForce() async throws {
    let fixture = try SessionFixture(tasks: ["stubborn"])
    let session = fixture.fleetSession()
    let running = Task { await session.run() }
    await fixture.log.reached("step stubborn")
    fixture.stubborn.release()
    let outcome = await running.value
    #expect(outcome.status == .ok)
    #expect(fixture.log.entries.filter { $0 == "step stubborn done" }.count == 3)
    #expect(!fixture.log.entries.contains("force stop"))
  }
}
