import CruddurTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `cruddur local` through every state the embedded server can be in, with real servers:
/// never created, running, stopped, `.cruddur/` removed under a running server, reset.
@Suite struct LocalServerTests {
  static func project(port: Int) throws -> TemporaryProject {
    try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local:
          embedded: true
          url: postgresql://postgres:\(TestCluster.password)@localhost:\(port)/app
      tasks:
        db:create: { database: create }
        db:count: { query: "select count(*) as databases from pg_database where datname = 'app'", on: maintenance }
      """
    ])
  }

  static func pid(in status: String) -> Int32? {
    status.split(separator: "\n").first { $0.contains("pid:") }.flatMap { Int32($0.split(separator: " ").last ?? "") }
  }

  /// Gone, or a zombie nobody reaps (a container's first process may reap nothing).
  static func isGone(_ pid: Int32) -> Bool {
    if kill(pid, 0) == -1 { return errno == ESRCH }
    let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
    return stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).first == "Z"
  }

  @Test("status, start, a run, stop, a run that starts it, removed .cruddur/, stop by port, reset")
  func transitions() async throws {
    let port = try TestCluster.freePort()
    let project = try Self.project(port: port)
    defer {
      _ = Task { _ = try? await project.run(["local", "stop"]) }
    }

    let absent = try await project.run(["local", "status"])
    #expect(absent.status == 4, "\(absent)")
    #expect(
      absent.stdout == """
        embedded server: not created (the first run that needs it creates it, or `cruddur local start`)
          port:    \(port)
          data:    .cruddur/data (absent)

        """)

    let start = try await project.run(["local", "start"])
    #expect(start.status == 0, "\(start)")
    #expect(start.stdout == "created and started the embedded server at 127.0.0.1:\(port) (data in .cruddur/data)\n")
    let running = try await project.run(["local", "status"])
    #expect(running.status == 0, "\(running)")
    let pid = try #require(Self.pid(in: running.stdout), "\(running)")
    let version = try String(contentsOfFile: project.path + "/.cruddur/data/PG_VERSION", encoding: .utf8)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(
      running.stdout == """
        embedded server: running, accepting connections
          port:    \(port) (127.0.0.1, socket .cruddur/run)
          data:    .cruddur/data
          version: \(version)
          pid:     \(pid)

        """)

    // A run says which server answered.
    let used = try await project.run(["db:create"])
    #expect(used.status == 0, "\(used)")
    #expect(used.stdout.contains("using the embedded server at 127.0.0.1:\(port) (pid \(pid), data in .cruddur/data)\n"), "\(used)")

    let stop = try await project.run(["local", "stop"])
    #expect(stop.stdout == "stopped the embedded server (pid \(pid))\n", "\(stop)")
    #expect(Self.isGone(pid))
    let stopped = try await project.run(["local", "status"])
    #expect(stopped.status == 3, "\(stopped)")
    #expect(stopped.stdout.hasPrefix("embedded server: stopped\n"))
    let again = try await project.run(["local", "stop"])
    #expect(again.status == 0)
    #expect(again.stdout == "the embedded server was not running\n")

    // A run on a stopped server starts it, and says so.
    let restarted = try await project.run(["db:count"])
    #expect(restarted.status == 0, "\(restarted)")
    #expect(restarted.stdout.contains("started the embedded server at 127.0.0.1:\(port) (data in .cruddur/data)\n"))
    #expect(!restarted.stdout.contains("created"), "\(restarted)")
    #expect(restarted.stdout.contains("         1"), "the database made before is still there: \(restarted)")

    // .cruddur/ removed while the server runs: it is found by its port.
    let second = try #require(Self.pid(in: try await project.run(["local", "status"]).stdout))
    try FileManager.default.removeItem(atPath: project.path + "/.cruddur")
    let orphaned = try await project.run(["local", "status"])
    #expect(orphaned.status == 0, "\(orphaned)")
    #expect(orphaned.stdout.hasPrefix("embedded server: running, but its .cruddur/ was removed"), "\(orphaned)")
    let refused = try await project.run(["local", "start"])
    #expect(refused.status == 1, "\(refused)")
    #expect(refused.stderr.contains("the one whose .cruddur/ was removed still runs on port \(port) (postgres, pid \(second))"))
    #expect(!FileManager.default.fileExists(atPath: project.path + "/.cruddur/data"), "no initdb into a taken port")
    let stopByPort = try await project.run(["local", "stop"])
    #expect(stopByPort.stdout == "stopped the embedded server (pid \(second))\n", "\(stopByPort)")
    #expect(Self.isGone(second))
    #expect(try await project.run(["local", "status"]).status == 4)

    // reset asks first; without a terminal it needs --yes.
    #expect(try await project.run(["db:create"]).status == 0)
    let unconfirmed = try await project.run(["local", "reset"])
    #expect(unconfirmed.status == 3, "\(unconfirmed)")
    #expect(unconfirmed.stderr.contains("refusing to reset the embedded server without consent"))
    let reset = try await project.run(["local", "reset", "--yes"])
    #expect(reset.status == 0, "\(reset)")
    #expect(reset.stdout == "created and started the embedded server at 127.0.0.1:\(port) (data in .cruddur/data)\n")
    let count = try await project.run(["db:count"])
    #expect(count.stdout.contains("         0"), "the reset cluster has no `app` database: \(count)")
    #expect(try await project.run(["local", "stop"]).status == 0)
    project.remove()
  }

  @Test("start names what holds the port and creates nothing")
  func portHeld() async throws {
    let listener = try TCPListener()
    defer { listener.close() }
    let project = try Self.project(port: listener.port)
    defer { project.remove() }
    let start = try await project.run(["local", "start"])
    #expect(start.status == 1, "\(start)")
    #expect(start.stderr.contains("port \(listener.port) on 127.0.0.1 is already taken by "), "\(start)")
    #expect(start.stderr.contains("(pid \(getpid()))"), "the test process holds it: \(start)")
    #expect(!FileManager.default.fileExists(atPath: project.path + "/.cruddur/data"))
  }
}
