import CruddurTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct EmbeddedServerTests {
  @Test("embedded: true starts a project-local server on first use; local status/stop manage it")
  func lifecycle() async throws {
    let port = try TestCluster.freePort()
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local:
          default: true
          embedded: true
          url: postgresql://postgres:\(TestCluster.password)@localhost:\(port)/cruddur
      include: [tasks/*.yml]
      """,
      "tasks/db.yml": try RepositoryFiles.read("tasks/db.yml"),
      "db/schema.sql": try RepositoryFiles.read("db/schema.sql"),
      "db/seed.sql": try RepositoryFiles.read("db/seed.sql"),
    ])
    defer {
      Task { _ = try? await project.run(["local", "stop"]) }
    }
    try await project.expect(["local", "status"], stdout: """
      embedded server: not created (the first run that needs it creates it, or `cruddur local start`)
        port:    <port>
        data:    .cruddur/data (absent)

      """, status: 4, normalizing: [.number(port, as: "<port>")])

    // Two processes racing to start it must both succeed (the lock file serialises them).
    async let first = project.run(["db:create"])
    async let second = project.run(["db:create"])
    let (a, b) = try await (first, second)
    #expect(a.status == 0, "\(a)")
    #expect(b.status == 0, "\(b)")

    let setup = try await project.run(["db:setup"])
    #expect(setup.status == 0, "\(setup)")
    #expect(FileManager.default.fileExists(atPath: project.path + "/.cruddur/data/PG_VERSION"))
    let status = try await project.run(["local", "status"])
    let pid = try #require(LocalServerTests.pid(in: status.stdout), "\(status)")
    let version = try String(contentsOfFile: project.path + "/.cruddur/data/PG_VERSION", encoding: .utf8)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    status.expect(
      stdout: """
      embedded server: running, accepting connections
        port:    <port> (127.0.0.1, socket .cruddur/run)
        data:    .cruddur/data
        version: <version>
        pid:     <pid>

      """, normalizing: [.number(port, as: "<port>"), .number(pid, as: "<pid>"), .literal("version: \(version)", as: "version: <version>")])
    setup.expect(stdout: """
      using the embedded server at 127.0.0.1:<port> (pid <server 1>, data in .cruddur/data)
      cruddur db:setup on local (postgresql://postgres:****@localhost:<port>/cruddur), 4 steps
      == db:drop drop database "cruddur" if it exists, ending its sessions
         done in <duration>
      == db:create create database "cruddur" if it does not exist
         done in <duration>
      == db:schema run db/schema.sql in one transaction
         done in <duration>
      == db:seed run db/seed.sql in one transaction
         done in <duration>
      ✓ 4 steps done in <duration>

      """, stderr: """
      NOTICE:  table "activities" does not exist, skipping
      NOTICE:  table "users" does not exist, skipping

      """, normalizing: LocalServerTests.known(port: port, pids: [pid]))

    let stop = try await project.run(["local", "stop"])
    #expect(stop.status == 0)
    try await project.expect(
      ["local", "status"], stdout: """
      embedded server: stopped
        port:    <port>
        data:    .cruddur/data
        version: <version>

      """, status: 3, normalizing: LocalServerTests.known(port: port, version: version))
    project.remove()
  }

  @Test("a port held by something that is not Postgres is said plainly")
  func portTaken() async throws {
    // A plain TCP listener that never answers like PostgreSQL.
    let listener = try TCPListener()
    defer { listener.close() }
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local:
          embedded: true
          url: postgresql://postgres:pw@127.0.0.1:\(listener.port)/app
      tasks:
        db:create: { database: create }
      """
    ])
    defer { project.remove() }
    try await project.expect(
      ["db:create"], stdout: """
      cruddur db:create on local (postgresql://postgres:****@127.0.0.1:<port>/app), 1 step
      == db:create create database "app" if it does not exist
      ✗ run failed after <duration>: 0 done; failed: db:create

      """, stderr: """
      == db:create failed after <duration>
      error: cannot start the embedded server: port <port> on 127.0.0.1 is already taken by <test process> (pid <test>)
       = help: stop it, or put another port in the environment's URL

      """, status: 1,
      normalizing: [.durations, .number(listener.port, as: "<port>")] + LocalServerTests.testProcess)
  }

  @Test("a second project whose embedded URL names the first one's port is refused, not served its data")
  func twoProjectsOnePort() async throws {
    let port = try TestCluster.freePort()
    let config = """
      version: 1
      environments:
        local: { default: true, embedded: true, url: "postgresql://postgres:\(TestCluster.password)@127.0.0.1:\(port)/app" }
      tasks:
        make: { database: create }
        drop: { database: drop }
      """
    let first = try TemporaryProject(files: ["cruddur.yml": config])
    let second = try TemporaryProject(files: ["cruddur.yml": config])
    let made = try await first.run(["make"])
    #expect(made.status == 0, "\(made)")
    try await second.expect(
      ["drop"], stdout: """
      using the server already answering at 127.0.0.1:<port>, not the embedded one

      """, stderr: """
      error: 127.0.0.1:<port> is the embedded server of another project (<first>/.cruddur), not this one's
       = help: stop it (`cruddur local stop` in that project) or give `local` another port in its URL

      """, status: 3,
      normalizing: [.durations, .number(port, as: "<port>"), .literal(first.path, as: "<first>")])
    // The first project's database is still there.
    let server = try #require(LocalServerTests.pid(in: try await first.run(["local", "status"]).stdout))
    try await first.expect(["make"], stdout: """
      cruddur make on local (postgresql://postgres:****@127.0.0.1:<port>/app), 1 step
      == make create database "app" if it does not exist
      using the embedded server at 127.0.0.1:<port> (pid <server 1>, data in .cruddur/data)
      database "app" already exists
         done in <duration>
      ✓ 1 step done in <duration>

      """, normalizing: LocalServerTests.known(port: port, pids: [server]))
    _ = try await first.run(["local", "stop"])
    first.remove()
    second.remove()
  }
}
