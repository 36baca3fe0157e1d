import CruddurCore
import CruddurPostgres
import Testing

/// `PostgresRunErrorKind` decides each Postgres reason's words and exit status in one place
/// (moved from Core's `RunErrorKind` unchanged: same codes, statuses and words).
@Suite struct PostgresRunErrorKindTests {
  @Test(
    "each kind keeps its code and exit status: refusals 3, problems with the input 2, failures 1",
    arguments: [
      (
        PostgresRunErrorKind.sqlFileChanged(path: "db/seed.sql", sha256: "abc"), "sqlFileChanged",
        CruddurCore.ExitStatus.refused
      ),
      (.rollbackTooFar(requested: 3, applied: 1), "rollbackTooFar", .refused),
      (.runLockHeld(holder: "pid 1", place: "local/app"), "runLockHeld", .refused),
      (.invalidStepCount("x"), "invalidStepCount", .configError),
      (.sqlProblem(.error("x")), "sqlProblem", .configError),
      (.databaseMissing("d", target: "t"), "databaseMissing", .stepFailed),
      (.dumpFailed(file: "f", output: "o"), "dumpFailed", .stepFailed),
    ])
  func exitStatuses(kind: PostgresRunErrorKind, code: String, status: CruddurCore.ExitStatus) {
    #expect(kind.code == code)
    #expect(kind.exitStatus == status)
    #expect(RunError(kind).exitStatus == status)
    #expect(RunError(kind).kind(as: PostgresRunErrorKind.self) == kind)
  }

  @Test("counts are worded for one and for many")
  func plurals() {
    #expect(
      PostgresRunErrorKind.migrationsOutOfOrder(newest: "2_b", paths: ["db/m/1_a.sql"]).diagnostic
        .message
        == "refused: 1 pending migration is older than the newest applied one (2_b); nothing was run"
    )
    #expect(
      PostgresRunErrorKind.rollbackTooFar(requested: 2, applied: 1).diagnostic.message
        == "refused: cannot roll back 2 migrations, 1 is applied; nothing was run")
  }

  @Test("a URL in a kind is shown masked, whatever the reason quotes")
  func maskedURL() {
    let url = ConnectionURL("postgresql://me:Kind-s3cret-7q@db.example/app")
    let diagnostic = PostgresRunErrorKind.invalidConnectionURL(
      url, reason: "bad option in Kind-s3cret-7q"
    ).diagnostic
    #expect(!diagnostic.message.contains("Kind-s3cret-7q"), "\(diagnostic.message)")
    #expect(
      diagnostic.message.hasPrefix("invalid connection URL postgresql://me:****@db.example/app: "))
  }

  @Test("several kinds raised together are all shown, in order, and end the run as the first does")
  func several() {
    let error = RunError([
      .rollbackFileMissing(version: "1", folder: "db/m"),
      .rollbackWithoutDown(path: "db/m/2_b.sql"),
    ])
    #expect(
      error.kind(as: PostgresRunErrorKind.self)
        == .rollbackFileMissing(version: "1", folder: "db/m"))
    #expect(error.exitStatus == .refused)
    #expect(
      error.diagnostics.map(\.message) == [
        "refused: migration 1 has no file in db/m",
        "refused: db/m/2_b.sql has no `-- migrate:down` block; nothing was run",
      ])
  }

  @Test("a SQL problem is shown as the check that found it worded and placed it")
  func sqlProblem() {
    let found = Diagnostic.error(
      "VACUUM cannot run inside a transaction",
      at: SourceLocation(path: "db/a.sql", line: 3, column: 1))
    #expect(PostgresRunErrorKind.sqlProblem(found).diagnostic == found)
    #expect(PostgresRunErrorKind.sqlProblem(found).exitStatus == .configError)
  }
}
