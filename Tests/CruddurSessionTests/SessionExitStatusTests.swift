import CruddurCore
import CruddurSession
import Testing

/// What `main` exits with after a session, for every way a session ends: a command returns
/// `try outcome.exitStatus()`, which is the outcome's status when there is nothing more to
/// show, or throws the error the outcome carries, which main's funnel (`CommandEnding`,
/// whose table `CommandEndingTests` checks: a `CruddurError` ends with its own status)
/// renders and ends with. Either way the status main exits with is the outcome's: a session
/// never exits, and no row leaves main to guess.
@Suite struct SessionExitStatusTests {
  /// How main ends with an outcome: the status, and the message it shows (nil when the
  /// outcome throws nothing: its events said what there was to say).
  struct Ending: Equatable {
    var status: CruddurCore.ExitStatus
    var shown: String?
    init(_ status: CruddurCore.ExitStatus, _ shown: String? = nil) {
      self.status = status
      self.shown = shown
    }
  }

  static func ending<Report>(_ outcome: SessionOutcome<Report>) -> Ending {
    do {
      return Ending(try outcome.exitStatus())
    } catch let error as any CruddurError {
      return Ending(error.exitStatus, error.diagnostics.map(\.message).joined(separator: "; "))
    } catch {
      return Ending(.stepFailed, "\(error)")
    }
  }

  @Test("a run that succeeds: 0, nothing shown")
  func succeeded() async throws {
    let fixture = try SessionFixture(tasks: ["one"])
    let outcome = await fixture.session(guards: [fixture.guardNamed("lock")]).run()
    #expect(Self.ending(outcome) == Ending(.ok))
  }

  @Test("consent refused: the refusal shown, 3 (Session row 2)")
  func consentRefused() async throws {
    let fixture = try SessionFixture(tasks: ["guarded"])
    let outcome = await fixture.session(consentGiven: false).run()
    let ending = Self.ending(outcome)
    #expect(ending.status == .refused)
    #expect(ending.status == outcome.status)
    #expect(ending.shown?.contains("local") == true)
  }

  @Test("a guard refuses: its error shown, its status (PlanRun row 2)")
  func guardRefuses() async throws {
    let fixture = try SessionFixture(tasks: ["one"])
    let outcome = await fixture.session(guards: [fixture.guardNamed("lock", .refuse(.refused))])
      .run()
    #expect(Self.ending(outcome) == Ending(.refused, "lock refused"))
    #expect(outcome.status == .refused)
  }

  @Test("a step fails: the step's status, nothing more shown (its events said it; PlanRun row 4)")
  func stepFails() async throws {
    let fixture = try SessionFixture(tasks: ["fails"])
    let outcome = await fixture.session().run()
    #expect(Self.ending(outcome) == Ending(.configError))
  }

  @Test("an after-success hook fails: its error shown, its status (PlanRun row 5)")
  func hookFails() async throws {
    let fixture = try SessionFixture(tasks: ["one"])
    let outcome = await fixture.session(afterSuccess: [fixture.hook("record", failing: .refused)])
      .run()
    #expect(Self.ending(outcome) == Ending(.refused, "hook record failed"))
  }

  @Test("stopped before run(): 130, nothing shown (Session row 1)")
  func stoppedBeforeRun() async throws {
    let fixture = try SessionFixture(tasks: ["guarded"])
    let session = fixture.session()
    session.stop()
    #expect(Self.ending(await session.run()) == Ending(.interrupted))
  }

  @Test("stopped while a guard waits: 130, nothing shown (PlanRun row 1)")
  func stoppedWhileGuardWaits() async throws {
    let fixture = try SessionFixture(tasks: ["one"])
    let session = fixture.session(guards: [fixture.guardNamed("lock", .waitUntilCancelled)])
    let running = Task { await session.run() }
    await fixture.log.reached("waiting lock")
    session.stop()
    #expect(Self.ending(await running.value) == Ending(.interrupted))
  }

  @Test("stopped while a step runs: 130, nothing shown (PlanRun row 3)")
  func stoppedWhileStepRuns() async throws {
    let fixture = try SessionFixture(tasks: ["waits"])
    let session = fixture.session(afterSuccess: [fixture.hook("record", failing: .refused)])
    let running = Task { await session.run() }
    await fixture.log.reached("step waits")
    session.stop()
    #expect(Self.ending(await running.value) == Ending(.interrupted))
  }

  @Test("stopped by force (second signal) while a step ignores the first: 130 (Session row 3)")
  func forcedStop() async throws {
    let fixture = try SessionFixture(tasks: ["stubborn"])
    let session = fixture.session()
    let running = Task { await session.run() }
    await fixture.log.reached("step stubborn")
    session.stop()
    session.forceStop()
    let ending = Self.ending(await running.value)
    fixture.stubborn.release()
    #expect(ending == Ending(.interrupted))
  }

  @Test("a fleet-like body's failure: its own status (1), nothing more shown (Session row 4)")
  func fleetBodyFails() async throws {
    let fixture = try SessionFixture(tasks: ["fails"])
    #expect(Self.ending(await fixture.fleetSession().run()) == Ending(.stepFailed))
  }

  @Test("an outcome with an error throws it, even when its status says ok (nothing is dropped)")
  func errorIsNeverDropped() throws {
    let error = TestError(status: .refused, message: "refused late")
    #expect(throws: TestError.self) {
      try SessionOutcome<Int>(status: .ok, error: error).exitStatus()
    }
    #expect(try SessionOutcome<Int>(status: .interrupted).exitStatus() == .interrupted)
  }
}
