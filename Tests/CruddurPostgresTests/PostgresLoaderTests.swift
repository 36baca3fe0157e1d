import CruddurTestSupport
import Foundation
import Testing

/// Every loader test that needs PostgreSQL is nested here: one server for the whole
/// target, stopped at the end even when tests fail. Tests run the real `cruddur` binary,
/// in parallel: each loads into a database of its own (`createDatabase`).
@Suite(.postgresCluster) struct PostgresLoaderTests {}

extension PostgresLoaderTests {
  static var cluster: TestCluster { TestCluster.required }

  /// A fresh, empty database for one test.
  static func createDatabase(_ prefix: String) async throws -> String {
    let name = TestCluster.uniqueDatabaseName(prefix)
    _ = try await cluster.query("create database \(name)")
    return name
  }

  /// A project whose `load` task runs `db/load.sql` (plus any other files given).
  static func project(
    database: String, sql: String, transaction: Bool? = nil, files: [String: String] = [:]
  ) throws -> TemporaryProject {
    var all = [
      "cruddur.yml": """
        version: 1
        environments:
          local:
            default: true
            url: ${TEST_URL}
        tasks:
          load:
            sql: db/load.sql
        \(transaction.map { "    transaction: \($0)\n" } ?? "")
        """,
      "db/load.sql": sql,
    ]
    all.merge(files) { _, new in new }
    return try TemporaryProject(files: all)
  }

  static func environment(database: String) -> [String: String] {
    ["TEST_URL": cluster.url(database: database)]
  }

  /// Runs `cruddur load` against `database`.
  static func load(_ project: TemporaryProject, database: String) async throws -> CruddurBinary.Result {
    try await project.run(["load"], environment: environment(database: database))
  }

  /// Every user table with its row count and a checksum of its rows, to compare a
  /// database before and after a load.
  static func snapshot(_ database: String) async throws -> [String] {
    let tables = try await cluster.query(
      """
      select quote_ident(table_schema) || '.' || quote_ident(table_name) from information_schema.tables
      where table_schema not in ('pg_catalog', 'information_schema') and table_type = 'BASE TABLE'
      order by 1
      """, database: database
    ).compactMap { $0.first ?? nil }
    var lines: [String] = []
    for table in tables {
      let row = try await cluster.query(
        "select count(*), coalesce(md5(string_agg(t::text, ',' order by t::text)), '') from \(table) t",
        database: database)
      lines.append("\(table) \(row[0][0] ?? "") \(row[0][1] ?? "")")
    }
    let functions = try await cluster.query(
      """
      select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname not in ('pg_catalog', 'information_schema') order by 1
      """, database: database)
    lines += functions.map { "function \($0[0] ?? "")" }
    return lines
  }
}

extension PostgresLoaderTests {
  static let postgresBin = "/usr/lib/postgresql/15/bin"

  /// Runs a PostgreSQL client program (pg_dump, psql) against the test server.
  static func runTool(_ name: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "\(postgresBin)/\(name)")
    process.arguments = ["-h", "127.0.0.1", "-p", cluster.port, "-U", TestCluster.user] + arguments
    process.environment = ["PGPASSWORD": TestCluster.password, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}
