import CruddurCore
import CruddurTestSupport
import Testing

@testable import CruddurPostgres

/// The SQL checks (statements, meta-commands, includes, migration markers) report
/// `PostgresConfigErrorKind`s, found without a server.
@Suite struct SQLProblemKindTests {
  /// The kinds a decode-time scan of `sql` (as `db/load.sql`, beside `files`) reports.
  func scanKinds(_ sql: String, files: [String: String] = [:], inTransaction: Bool = true) throws
    -> [PostgresConfigErrorKind?]
  {
    let directory = try TemporaryDirectory(prefix: "cruddur-sqlkinds")
    defer { directory.remove() }
    try directory.write("db/load.sql", sql)
    for (name, text) in files { try directory.write(name, text) }
    let scan = SQLScriptScan(
      path: directory.path + "/db/load.sql", projectRoot: directory.path,
      inTransaction: inTransaction)
    return scan.diagnostics.map { $0.kind(as: PostgresConfigErrorKind.self) }
  }

  @Test(
    "statements that cannot run in the file's transaction, and meta-commands cruddur does not run")
  func statementsAndMetaCommands() throws {
    #expect(
      try scanKinds("create database x;\ncommit;\n\\gset\n\\set FOO 1\n\\copy t from f\n") == [
        .mustRunOutsideTransaction(statement: "CREATE DATABASE X"),
        .transactionControlInTransaction(keyword: "COMMIT"),
        .unsupportedMetaCommand(name: "gset", supported: MetaCommand.supported),
        .psqlVariable(name: "FOO"),
        .backslashCopy,
      ])
    #expect(try scanKinds("create database x;\ncommit;\n", inTransaction: false) == [])
  }

  @Test("an include that names no file, or a file that cannot be read")
  func includes() throws {
    #expect(try scanKinds("\\ir\n") == [.includeNeedsFile(command: "ir")])
    #expect(
      try scanKinds("\\ir missing.sql\n") == [
        .cannotReadInclude(written: "missing.sql", path: "db/missing.sql")
      ])
  }

  @Test("migration markers: a second `down` in a section, an unknown marker or option, none at all, dbmate's refusals")
  func migrationMarkers() throws {
    let directory = try TemporaryDirectory(prefix: "cruddur-sqlkinds")
    defer { directory.remove() }
    // A second `up` is a second section (dbmate 2), not an error.
    let cases: [(String, PostgresConfigErrorKind)] = [
      (
        "-- migrate:up\nselect 1;\n-- migrate:down\n-- migrate:down\n",
        .duplicateMigrationMarker(direction: "down", firstLine: 3)
      ),
      ("create table t (id int);\n-- migrate:up\n", .statementBeforeMigrateUp),
      ("-- migrate:up\nselect 1\n  -- migrate:down\n", .indentedMigrationMarker(direction: "down")),
      ("-- migrate:down\n-- migrate:up\n", .migrateDownBeforeUp),
      ("-- migrate:sideways\n", .unknownMigrationMarker(direction: "sideways")),
      ("-- migrate:up fast\n", .unknownMigrationMarkerOption(option: "fast", direction: "up")),
      ("select 1;\n", .missingMigrateUp),
    ]
    for (index, (text, expected)) in cases.enumerated() {
      let name = "db/migrations/2026010100000\(index)_m.sql"
      try directory.write(name, text)
      let error = #expect(throws: RunError.self) {
        try MigrationFile(path: directory.path + "/" + name, projectRoot: directory.path)
      }
      guard case .sqlProblem(let diagnostic)? = error?.kind(as: PostgresRunErrorKind.self) else {
        Issue.record("expected a SQL problem for \(text), got \(String(describing: error))")
        continue
      }
      #expect(diagnostic.kind(as: PostgresConfigErrorKind.self) == expected)
    }
  }
}
