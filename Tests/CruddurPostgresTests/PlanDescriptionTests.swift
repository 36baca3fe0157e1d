import CruddurCore
import CruddurDigest
import CruddurTestSupport
import Testing

/// A plan is computed without the target: it is proven against a port where nothing
/// listens, so a plan that connected (or ran anything) could not succeed.
@Suite struct PlanDescriptionTests {
  @Test("a plan shows the SQL file's size, statement count (includes too) and SHA-256, and never connects")
  func plan() async throws {
    let port = try TestCluster.freePort()
    let sql = "create table t (id int);\n\\ir more.sql\ninsert into t values (1); insert into t values (2);\n"
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local:
          default: true
          url: postgresql://postgres:\(TestCluster.password)@127.0.0.1:\(port)/nowhere
      tasks:
        load:
          sql: db/load.sql

      """,
      "db/load.sql": sql,
      "db/more.sql": "select 1;\n",
    ])
    defer { project.remove() }
    let digest = SHA256.hex(of: Array(sql.utf8))
    let ports: [OutputSubstitution] = [.number(port, as: "<port>"), .durations]
    try await project.expect(
      ["plan", "load"],
      stdout: """
        Plan for load on local (postgresql://postgres:****@127.0.0.1:<port>/nowhere)
        1. load (sql)
           run db/load.sql in one transaction
           target: postgres@127.0.0.1:<port>/nowhere
           file: db/load.sql (\(sql.utf8.count) bytes, 4 statements)
           sha256: \(digest)
           includes: db/more.sql

        """, normalizing: ports)
    // The twin: the same task run needs the server, and that port has none.
    try await project.expect(
      ["load"],
      stdout: """
        cruddur load on local (postgresql://postgres:****@127.0.0.1:<port>/nowhere), 1 step
        == load run db/load.sql in one transaction
        ✗ run failed after <duration>: 0 done; failed: load

        """,
      stderr: """
        == load failed after <duration>
        error: cannot connect to postgres@127.0.0.1:<port>/nowhere: connection to server at "127.0.0.1", port <port> failed: Connection refused. Is the server running on that host and accepting TCP/IP connections?
         = help: is the server running? For a local environment, `embedded: true` lets cruddur start one

        """, status: 1, normalizing: ports)
  }
}
