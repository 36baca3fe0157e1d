import CruddurCore
import Testing

/// `RunErrorKind` decides each reason's words and exit status in one place.
@Suite struct RunErrorKindTests {
  @Test(
    "each kind owns its exit status: refusals 3, problems with the input 2, failures 1",
    arguments: [
      (RunErrorKind.savedPlanEdited(path: "p.json"), CruddurCore.ExitStatus.refused),
      (.consentNotConfirmed(environment: "prod"), .refused),
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
  }
}
