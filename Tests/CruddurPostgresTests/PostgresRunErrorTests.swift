import CruddurCore
import CruddurTestSupport
import Testing

@testable import CruddurPostgres

/// The Postgres module's run errors, matched by kind (the words are `PostgresRunErrorKind`'s).
@Suite struct PostgresRunErrorTests {
  /// The error `body` throws, which must be a `RunError`.
  static func runError(_ body: () throws -> Void, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> RunError {
    let error = #expect(throws: RunError.self, sourceLocation: sourceLocation) { try body() }
    return try #require(error, sourceLocation: sourceLocation)
  }

  @Test("a connection string libpq would reject is an invalid URL, the URL kept masked")
  func invalidURL() throws {
    let url = ConnectionURL("postgresql://h/db?nosuch=1")
    let error = try Self.runError { _ = try ConnInfo(parsing: url) }
    guard case .invalidConnectionURL(let kept, _)? = error.kind(as: PostgresRunErrorKind.self) else {
      Issue.record("\(error.kind)")
      return
    }
    #expect(kept == url)
    #expect(error.exitStatus == .configError)
  }

  @Test("a missing migrations folder, a badly named file and a FIFO are each their own kind")
  func migrationFiles() throws {
    let directory = try TemporaryDirectory(prefix: "kinds")
    defer { directory.remove() }
    let missing = try Self.runError { _ = try MigrationSet(directory: directory.path + "/db/nope", projectRoot: directory.path) }
    #expect(missing.kinds(as: PostgresRunErrorKind.self) == [.migrationsFolderMissing(path: "db/nope")])
    try directory.write("db/m/readme.sql", "-- migrate:up\n")
    let badName = try Self.runError { _ = try MigrationFile(path: directory.path + "/db/m/readme.sql", projectRoot: directory.path) }
    #expect(badName.kinds(as: PostgresRunErrorKind.self) == [.notAMigrationName(path: "db/m/readme.sql")])
    try directory.makeFIFO("db/m/20261201000000_pipe.sql")
    let fifo = try Self.runError {
      _ = try MigrationFile(path: directory.path + "/db/m/20261201000000_pipe.sql", projectRoot: directory.path)
    }
    #expect(fifo.kinds(as: RunErrorKind.self) == [.notAFile(shownAs: "db/m/20261201000000_pipe.sql", kind: .fifo)])
    #expect(fifo.exitStatus == .configError)
  }

  @Test("two migrations with one version are reported with every other problem of the folder")
  func duplicateVersion() throws {
    let directory = try TemporaryDirectory(prefix: "kinds")
    defer { directory.remove() }
    try directory.write("db/m/20261201000000_a.sql", "-- migrate:up\nselect 1;\n")
    try directory.write("db/m/20261201000000_b.sql", "-- migrate:up\nselect 2;\n")
    try directory.write("db/m/20261202000000_c.sql", "select 3;\n")
    let error = try Self.runError { _ = try MigrationSet(directory: directory.path + "/db/m", projectRoot: directory.path) }
    #expect(error.kinds.count == 2, "\(error.kinds)")
    guard case .sqlProblem(let noMarker)? = error.kinds(as: PostgresRunErrorKind.self)?.first else {
      Issue.record("\(error.kinds)")
      return
    }
    #expect(noMarker.location == CruddurCore.SourceLocation(path: "db/m/20261202000000_c.sql", line: 1, column: 1))
    #expect(
      error.kinds(as: PostgresRunErrorKind.self)?.last
        == .duplicateMigrationVersion(
          version: "20261201000000", first: "db/m/20261201000000_a.sql", second: "db/m/20261201000000_b.sql"))
  }

  @Test("STEP must be a positive number")
  func stepCount() throws {
    for text in ["0", "-1", "two"] {
      let error = try Self.runError { _ = try MigrateExecutor.stepCount(Scope([.init(.set, ["STEP": text])])) }
      #expect(error.kinds(as: PostgresRunErrorKind.self) == [.invalidStepCount(text)])
    }
    #expect(try MigrateExecutor.stepCount(Scope([.init(.set, ["STEP": "2"])])) == 2)
  }

  @Test("a migration changed since it was applied and one applied out of order are refused together")
  func refusal() throws {
    let directory = try TemporaryDirectory(prefix: "kinds")
    defer { directory.remove() }
    try directory.write("db/m/20261201000000_a.sql", "-- migrate:up\nselect 1;\n")
    try directory.write("db/m/20261202000000_b.sql", "-- migrate:up\nselect 2;\n")
    try directory.write("db/m/20261203000000_c.sql", "-- migrate:up\nselect 3;\n")
    let set = try MigrationSet(directory: directory.path + "/db/m", projectRoot: directory.path)
    let status = MigrationStatus(
      files: set,
      applied: [
        AppliedMigration(version: "20261201000000", name: "a", sha256: "0ld", appliedAt: nil),
        AppliedMigration(version: "20261203000000", name: "c", sha256: nil, appliedAt: nil),
      ])
    let error = try #require(status.refusal(allowOutOfOrder: false))
    #expect(
      error.kinds(as: PostgresRunErrorKind.self) == [
        .migrationChangedSinceApplied(
          path: "db/m/20261201000000_a.sql", recordedSHA256: "0ld", currentSHA256: set.files[0].up.sha256),
        .migrationsOutOfOrder(newest: "20261203000000_c", paths: ["db/m/20261202000000_b.sql"]),
      ])
    #expect(error.exitStatus == .refused)
    #expect(status.refusal(allowOutOfOrder: true)?.kinds.count == 1)
  }

  @Test("a SQL file that is a directory is not a file, named as the task wrote it")
  func directoryAsSQLFile() throws {
    let directory = try TemporaryDirectory(prefix: "kinds")
    defer { directory.remove() }
    try directory.makeDirectory("db/load.sql")
    let error = try Self.runError { _ = try SQLScriptCursor(path: directory.path + "/db/load.sql", projectRoot: directory.path) }
    #expect(error.kinds(as: RunErrorKind.self) == [.notAFile(shownAs: "db/load.sql", kind: .directory)])
  }
}
