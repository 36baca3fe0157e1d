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

  /// The port, the servers' pids and the PostgreSQL version, known to the test once the
  /// server started, as placeholders.
  static func known(port: Int, pids: [Int32] = [], version: String? = nil) -> [OutputSubstitution] {
    [.durations, .number(port, as: "<port>")]
      + pids.enumerated().map { .number($0.element, as: "<server \($0.offset + 1)>") }
      + (version.map { [.literal("version: \($0)", as: "version: <version>")] } ?? [])
  }

  /// What holds a port in the test: this test process, by its name and pid.
  static let testProcess: [OutputSubstitution] = [
    .pattern(#"already taken by \S+ \(pid \d+\)"#, as: "already taken by <test process> (pid <test>)")
  ]

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
    try await project.expect(["db:create"], stdout: """
      cruddur db:create on local (postgresql://postgres:****@localhost:<port>/app), 1 step
      == db:create create database "app" if it does not exist
      using the embedded server at 127.0.0.1:<port> (pid <server 1>, data in .cruddur/data)
         done in <duration>
      ✓ 1 step done in <duration>

      """, normalizing: Self.known(port: port, pids: [pid]))

    let stop = try await project.run(["local", "stop"])
    #expect(stop.stdout == "stopped the embedded server (pid \(pid))\n", "\(stop)")
    #expect(Self.isGone(pid))
    try await project.expect(
      ["local", "status"], stdout: """
      embedded server: stopped
        port:    <port>
        data:    .cruddur/data
        version: <version>

      """, status: 3, normalizing: Self.known(port: port, version: version))
    let again = try await project.run(["local", "stop"])
    #expect(again.status == 0)
    #expect(again.stdout == "the embedded server was not running\n")

    // A run on a stopped server starts it, and says so.
    // Started, not created: the database made before is still there.
    try await project.expect(["db:count"], stdout: """
      cruddur db:count on local (postgresql://postgres:****@localhost:<port>/app), 1 step
      == db:count query: select count(*) as databases from pg_database where datname = 'app'
      started the embedded server at 127.0.0.1:<port> (data in .cruddur/data)
       databases\u{20}
      -----------
               1
      (1 row)
         done in <duration>
      ✓ 1 step done in <duration>

      """, normalizing: Self.known(port: port))

    // .cruddur/ removed while the server runs: it is found by its port.
    // PostgreSQL's postmaster checks its lock file once a minute and shuts itself down
    // when it is gone, so on a slow machine the server can end on its own at any point of
    // this part. Each attempt restarts it first, so the minute counts from there; an
    // attempt is judged only if the server was still there for `local stop` to stop, and
    // otherwise runs again (the stop then stopped whatever `local start` made, or nothing).
    var proven = false
    for _ in 1...3 where !proven {
      _ = try await project.run(["local", "stop"])
      #expect(try await project.run(["local", "start"]).status == 0)
      let second = try #require(Self.pid(in: try await project.run(["local", "status"]).stdout))
      try FileManager.default.removeItem(atPath: project.path + "/.cruddur")
      let removed = try await project.run(["local", "status"])
      let start = try await project.run(["local", "start"])
      let madeNothing = !FileManager.default.fileExists(atPath: project.path + "/.cruddur/data")
      let stopByPort = try await project.run(["local", "stop"])
      let stoppedIt = stopByPort.stdout == "stopped the embedded server (pid \(second))\n"
      if !stoppedIt && Self.isGone(second) {
        // Ended by its own lock-file check before the stop reached it: try again.
        _ = try await project.run(["local", "stop"])
        continue
      }
      removed.expect(
        stdout: """
          embedded server: running, but its .cruddur/ was removed (`cruddur local stop` stops it)
            port:    <port>
            data:    .cruddur/data (removed)
            pid:     <server 2>

          """, normalizing: Self.known(port: port, pids: [pid, second]))
      start.expect(
        stderr: """
          error: cannot start the embedded server: the one whose .cruddur/ was removed still runs on port <port> (postgres, pid <server 2>)
           = help: `cruddur local stop` stops it

          """, status: 1, normalizing: Self.known(port: port, pids: [pid, second]))
      #expect(madeNothing, "no initdb into a taken port")
      #expect(stoppedIt, "\(stopByPort)")
      #expect(Self.isGone(second))
      #expect(try await project.run(["local", "status"]).status == 4)
      proven = true
    }
    #expect(proven, "three servers ended on their own before `local stop` reached them")

    // reset asks first; without a terminal it needs --yes.
    #expect(try await project.run(["db:create"]).status == 0)
    try await project.expect(["local", "reset"], stderr: """
      error: refusing to reset the embedded server without consent: it deletes .cruddur/ and every database in it
       = help: pass --yes, or run it on a terminal and type `reset`

      """, status: 3, normalizing: Self.known(port: port))
    let reset = try await project.run(["local", "reset", "--yes"])
    #expect(reset.status == 0, "\(reset)")
    #expect(reset.stdout == "created and started the embedded server at 127.0.0.1:\(port) (data in .cruddur/data)\n")
    // The reset cluster has no `app` database.
    try await project.expect(["db:count"], stdout: """
      cruddur db:count on local (postgresql://postgres:****@localhost:<port>/app), 1 step
      == db:count query: select count(*) as databases from pg_database where datname = 'app'
      using the embedded server at 127.0.0.1:<port> (pid <reset server>, data in .cruddur/data)
       databases\u{20}
      -----------
               0
      (1 row)
         done in <duration>
      ✓ 1 step done in <duration>

      """, normalizing: Self.known(port: port) + [.pattern(#"pid \d+"#, as: "pid <reset server>")])
    #expect(try await project.run(["local", "stop"]).status == 0)
    project.remove()
  }

  @Test("start names what holds the port and creates nothing")
  func portHeld() async throws {
    let listener = try TCPListener()
    defer { listener.close() }
    let project = try Self.project(port: listener.port)
    defer { project.remove() }
    // The test process holds it.
    try await project.expect(
      ["local", "start"], stderr: """
      error: cannot start the embedded server: port <port> on 127.0.0.1 is already taken by <test process> (pid <test>)
       = help: stop it, or put another port in the environment's URL

      """, status: 1,
      normalizing: [.number(listener.port, as: "<port>")] + Self.testProcess)
    #expect(!FileManager.default.fileExists(atPath: project.path + "/.cruddur/data"))
  }
}
