import CruddurTestSupport
import Foundation
import Testing

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
    let before = try await project.run(["local", "status"])
    #expect(before.stdout.contains("not created"))

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
    #expect(status.stdout.contains("running"), "\(status)")
    #expect(status.stdout.contains("accepting connections"))
    #expect(!setup.output.contains(TestCluster.password))

    let stop = try await project.run(["local", "stop"])
    #expect(stop.status == 0)
    #expect(try await project.run(["local", "status"]).stdout.contains("stopped"))
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
    let result = try await project.run(["db:create"])
    #expect(result.status == 1, "\(result)")
    #expect(result.stderr.contains("port \(listener.port) on 127.0.0.1 is already taken"), "\(result)")
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
    let refused = try await second.run(["drop"])
    #expect(refused.status == 3, "\(refused)")
    #expect(
      refused.stderr.contains("127.0.0.1:\(port) is the embedded server of another project (\(first.path)/.cruddur)"),
      "\(refused)")
    #expect(!refused.output.contains(TestCluster.password))
    // The first project's database is still there.
    let check = try await first.run(["make"])
    #expect(check.stdout.contains("already exists"), "\(check)")
    _ = try await first.run(["local", "stop"])
    first.remove()
    second.remove()
  }
}
