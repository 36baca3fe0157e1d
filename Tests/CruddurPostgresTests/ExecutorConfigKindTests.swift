import CruddurCore
import CruddurPostgres
import CruddurTestSupport
import Testing

/// The Postgres executors report bad values as `ConfigErrorKind`s, matched here without a
/// server: decoding never connects.
@Suite struct ExecutorConfigKindTests {
  func kinds(_ yaml: String) throws -> [ConfigErrorKind?] {
    let project = try TemporaryProject(files: ["cruddur.yml": yaml])
    defer { project.remove() }
    let registry = ExecutorRegistry([QueryExecutor(), DatabaseExecutor(), MigrateExecutor()])
    return ProjectDecoder(registry: registry).load(configPath: project.path + "/cruddur.yml").1.map(
      \.kind)
  }

  @Test("a value outside an executor's choices names the key and the closest choice")
  func choices() throws {
    let found = try kinds(
      """
      version: 1
      tasks:
        drop: { database: dorp }
        count: { query: select 1, on: maintenence }
        up: { migrate: db/migrations, mode: rollbak }
      """)
    #expect(
      Set(found) == [
        .invalidValue(
          what: "`database`", requirement: "be one of `create`, `drop`, `exists`", found: nil,
          suggestion: "drop"),
        .invalidValue(
          what: "`on`", requirement: "be `database` or `maintenance`", found: nil,
          suggestion: "maintenance"),
        .invalidValue(
          what: "`mode`", requirement: "be `up`, `rollback` or `status`", found: nil,
          suggestion: "rollback"),
      ])
  }

  @Test("a value of the wrong shape says what was found")
  func shape() throws {
    #expect(
      try kinds("version: 1\ntasks:\n  q: { query: [a] }\n") == [
        .invalidValue(what: "`query`", requirement: "be SQL text", found: "a list", suggestion: nil)
      ])
  }
}
