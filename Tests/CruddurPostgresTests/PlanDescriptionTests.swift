import CruddurCore
import CruddurDigest
import CruddurTestSupport
import Testing

extension PostgresLoaderTests {
  @Suite struct PlanDescriptionTests {
    @Test("a plan shows the SQL file's size, statement count (includes too) and SHA-256, and runs nothing")
    func plan() async throws {
      let database = try await PostgresLoaderTests.createDatabase("plan")
      let sql = "create table t (id int);\n\\ir more.sql\ninsert into t values (1); insert into t values (2);\n"
      let project = try PostgresLoaderTests.project(
        database: database, sql: sql, files: ["db/more.sql": "select 1;\n"])
      defer { project.remove() }
      let result = try await project.run(["plan", "load"], environment: PostgresLoaderTests.environment(database: database))
      #expect(result.status == 0, "\(result)")
      let digest = SHA256.hex(of: Array(sql.utf8))
      #expect(result.stdout.contains("file: db/load.sql (\(sql.utf8.count) bytes, 4 statements)"), "\(result)")
      #expect(result.stdout.contains("sha256: \(digest.prefix(12))"), "\(result)")
      #expect(try await PostgresLoaderTests.snapshot(database) == [])
    }
  }
}
