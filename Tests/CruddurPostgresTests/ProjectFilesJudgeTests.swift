import CruddurCore
import CruddurTestSupport
import Foundation
import Testing

@testable import CruddurPostgres

/// No false positive on what the project itself loads: its schema asks only for its
/// DROPs, its seed and migrations' up blocks and an INSERT file of any size ask nothing.
@Suite struct ProjectFilesJudgeTests {
  static func flagged(_ path: String) throws -> [String] {
    let scan = SQLScriptScan(
      path: RepositoryFiles.root + "/" + path, projectRoot: RepositoryFiles.root,
      inTransaction: true, judges: true)
    #expect(scan.diagnostics.isEmpty, "\(scan.diagnostics)")
    return scan.destructiveStatements.map(\.shown)
  }

  @Test(
    "the project's schema asks only for its two DROPs; seed, reference fixtures and migrations ask nothing"
  )
  func projectFiles() throws {
    #expect(
      try Self.flagged("db/schema.sql") == [
        "destructive: DROP TABLE public.activities (db/schema.sql:4)",
        "destructive: DROP TABLE public.users (db/schema.sql:5)",
      ])
    #expect(try Self.flagged("db/seed.sql").isEmpty)
    #expect(try Self.flagged("Tests/Fixtures/good/reference/db/seed.sql").isEmpty)
    for migration in ["db/migrations/20261201000000_baseline.sql"] {
      let file = try MigrationFile(
        path: RepositoryFiles.root + "/" + migration, projectRoot: RepositoryFiles.root)
      #expect(
        file.scan(file.up, projectRoot: RepositoryFiles.root, judges: true).destructiveStatements
          .isEmpty)
      let down = file.scan(try #require(file.down), projectRoot: RepositoryFiles.root, judges: true)
      #expect(down.destructiveStatements.allSatisfy { !$0.isUnknown && $0.kind.hasPrefix("DROP ") })
    }
  }

  @Test("an INSERT file of 20,000 rows, with strings that hide keywords, asks nothing")
  func largeInsertFile() throws {
    var text = "create table t (id int primary key, name text);\n"
    for i in 1...20_000 {
      let name = i % 100 == 0 ? "it''s row \(i); delete from t; drop table t" : "row \(i)"
      text += "insert into t (id, name) values (\(i), '\(name)');\n"
    }
    let cursor = SQLScriptCursor(bytes: Array(text.utf8), path: "/inserts.sql", projectRoot: "/")
    let scan = SQLScriptScan(cursor: cursor, inTransaction: true, judges: true)
    #expect(scan.statementCount == 20_001)
    #expect(scan.destructiveStatements.isEmpty)
  }
}
