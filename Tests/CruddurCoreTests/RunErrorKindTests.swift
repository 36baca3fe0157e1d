import CruddurCore
import Testing

/// `RunErrorKind` decides each reason's words and exit status in one place.
@Suite struct RunErrorKindTests {
  @Test(
    "each kind owns its exit status: refusals 3, problems with the input 2, failures 1",
    arguments: [
      (RunErrorKind.savedPlanEdited(path: "p.json"), CruddurCore.ExitStatus.refused),
      (.consentNotConfirmed(environment: "prod"), .refused),
      (.sqlFileChanged(path: "db/seed.sql", sha256: "abc"), .refused),
      (.rollbackTooFar(requested: 3, applied: 1), .refused),
      (.runLockHeld(holder: "pid 1", place: "local/app"), .refused),
      (.invalidStepCount("x"), .configError),
      (.missingParameter(task: "users:add", name: "handle", position: 1), .configError),
      (.notAFile(shownAs: "db/load.sql", kind: .fifo), .configError),
      (.shVariablesUnavailable(task: "t"), .stepFailed),
    ])
  func exitStatuses(kind: RunErrorKind, status: CruddurCore.ExitStatus) {
    #expect(kind.exitStatus == status)
    #expect(RunError(kind).exitStatus == status)
    #expect(RunError(kind).kind(as: RunErrorKind.self) == kind)
  }

  @Test("counts are worded for one and for many")
  func plurals() {
    let one = RunErrorKind.savedPlanOutdated(path: "p.json", changes: ["step 1 changed"]).diagnostic
    #expect(one.message == "refused: `p.json` no longer matches the project (1 change); nothing was run")
    #expect(one.notes.map(\.message) == ["step 1 changed"])
    let two = RunErrorKind.savedPlanOutdated(path: "p.json", changes: ["a", "b"]).diagnostic
    #expect(two.message == "refused: `p.json` no longer matches the project (2 changes); nothing was run")
    #expect(
      RunErrorKind.migrationsOutOfOrder(newest: "2_b", paths: ["db/m/1_a.sql"]).diagnostic.message
        == "refused: 1 pending migration is older than the newest applied one (2_b); nothing was run")
    #expect(
      RunErrorKind.rollbackTooFar(requested: 2, applied: 1).diagnostic.message
        == "refused: cannot roll back 2 migrations, 1 is applied; nothing was run")
  }

  @Test("a URL in a kind is shown masked, whatever the reason quotes")
  func maskedURL() {
    let url = ConnectionURL("postgresql://me:Kind-s3cret-7q@db.example/app")
    let diagnostic = RunErrorKind.invalidConnectionURL(url, reason: "bad option in Kind-s3cret-7q").diagnostic
    #expect(!diagnostic.message.contains("Kind-s3cret-7q"), "\(diagnostic.message)")
    #expect(diagnostic.message.hasPrefix("invalid connection URL postgresql://me:****@db.example/app: "))
  }

  @Test("several kinds raised together are all shown, in order, and end the run as the first does")
  func several() {
    let error = RunError([
      .rollbackFileMissing(version: "1", folder: "db/m"), .rollbackWithoutDown(path: "db/m/2_b.sql"),
    ])
    #expect(error.kind(as: RunErrorKind.self) == .rollbackFileMissing(version: "1", folder: "db/m"))
    #expect(error.exitStatus == .refused)
    #expect(
      error.diagnostics.map(\.message) == [
        "refused: migration 1 has no file in db/m", "refused: db/m/2_b.sql has no `-- migrate:down` block; nothing was run",
      ])
  }

  @Test("a SQL problem is shown as the check that found it worded and placed it")
  func sqlProblem() {
    let found = Diagnostic.error("VACUUM cannot run inside a transaction", at: SourceLocation(path: "db/a.sql", line: 3, column: 1))
    #expect(RunErrorKind.sqlProblem(found).diagnostic == found)
    #expect(RunErrorKind.sqlProblem(found).exitStatus == .configError)
  }
}
