import CruddurCore
import CruddurPostgres
import CruddurTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Fault injection for "a stop that stops", at the phases StopTests and CancelTests do not
/// reach: during COMMIT, between two steps, during the embedded server's start. Each run is
/// stopped by INT, TERM or HUP once the phase is seen (pg_stat_activity, a readiness FIFO,
/// a JSON event, the process table), and afterwards each database is as before the step or
/// holds the step complete, no session of cruddur's is left on the server and no process
/// tied to the project runs.
extension DatabaseTests {
  // A backstop against a hang only (it also counts time queued behind the parallel suite):
  // each wait in it has its own bound.
  @Suite(.timeLimit(.minutes(15))) struct StopPhaseTests {
    static let signals = [SIGINT, SIGTERM, SIGHUP]

    static func project(database: String, tasks: String, files: [String: String]) throws -> TemporaryProject {
      var all = files
      all["cruddur.yml"] = """
        version: 1
        environments:
          local: { default: true, url: "\(DatabaseTests.cluster.url(database: database))" }
        tasks:
        \(tasks)

        """
      return try TemporaryProject(files: all)
    }

    static func makeDatabase(_ prefix: String) async throws -> String {
      let database = TestCluster.uniqueDatabaseName(prefix)
      _ = try await DatabaseTests.cluster.query("create database \(database)")
      return database
    }

    /// Rows in `table`, or nil when it does not exist.
    static func rows(_ table: String, in database: String) async throws -> Int? {
      guard
        try await DatabaseTests.cluster.value("select to_regclass('\(table)') is not null", database: database) == "t"
      else { return nil }
      return try await DatabaseTests.cluster.value("select count(*) from \(table)", database: database).flatMap {
        Int($0)
      }
    }

    /// Whether cruddur's sessions on `database` are all gone: a backend notices its
    /// client's exit from the closed socket, a moment after the process ended.
    static func noSessionLeft(in database: String) async throws -> Bool {
      try await eventually {
        try await DatabaseTests.cluster.value(
          "select count(*) from pg_stat_activity where datname = '\(database)' and application_name = 'cruddur'")
          == "0"
      }
    }

    @Test(
      "INT, TERM or HUP during COMMIT (a deferred trigger sleeps in it): rolled back, nothing left", arguments: signals)
    func duringCommit(_ signal: Int32) async throws {
      let database = try await Self.makeDatabase("commit")
      let project = try Self.project(
        database: database, tasks: "  load: { sql: load.sql }",
        files: [
          "load.sql": """
          create table stop_commit (id int primary key);
          create function stop_commit_slow() returns trigger language plpgsql
            as $$ begin perform pg_sleep(600); return null; end $$;
          create constraint trigger stop_commit_slow after insert on stop_commit
            deferrable initially deferred for each row execute function stop_commit_slow();
          insert into stop_commit values (1), (2), (3);

          """
        ])
      defer { project.remove() }
      let running = try RunningCruddur.start(["load"], in: project.path)
      // The trigger runs at COMMIT, so its sleep under a COMMIT is the phase itself.
      let inCommit = """
        select count(*) from pg_stat_activity where datname = '\(database)' and application_name = 'cruddur'
        and state = 'active' and query = 'COMMIT' and wait_event = 'PgSleep'
        """
      #expect(try await eventually(60) { try await DatabaseTests.cluster.value(inCommit) == "1" }, "\(running.output)")
      kill(running.pid, signal)
      #expect(await running.wait() == 130, "\(running.output)")
      #expect(try await Self.rows("stop_commit", in: database) == nil, "\(running.output)")
      #expect(
        try await DatabaseTests.cluster.value(
          "select count(*) from pg_proc where proname = 'stop_commit_slow'", database: database) == "0")
      #expect(try await Self.noSessionLeft(in: database))
      let left = ProcessTable().tied(to: project.path)
      #expect(left.isEmpty, "\(ProcessTable.describe(left))")
      _ = try await DatabaseTests.cluster.query("drop database \(database)")
    }

    @Test(
      "INT, TERM or HUP between two steps (the second's unless check runs): the first stays whole, the second never runs",
      arguments: signals)
    func betweenStepsInGuard(_ signal: Int32) async throws {
      let database = try await Self.makeDatabase("between")
      let project = try Self.project(
        database: database,
        tasks: """
            first: { sql: first.sql }
            second: { sql: second.sql, unless: { sh: "echo ready > ready.fifo; exec sleep 600" } }
            both: { steps: [first, second] }
          """,
        files: [
          "first.sql": "create table stop_first (id int);\ninsert into stop_first values (1), (2), (3);\n",
          "second.sql": "create table stop_second (id int);\ninsert into stop_second values (1), (2), (3);\n",
        ])
      defer { project.remove() }
      let fifo = project.path + "/ready.fifo"
      #expect(mkfifo(fifo, 0o600) == 0)
      let running = try RunningCruddur.start(["both"], in: project.path)
      #expect(await readinessLine(fifo) == "ready", "\(running.output)")
      kill(running.pid, signal)
      #expect(await running.wait() == 130, "\(running.output)")
      #expect(try await Self.rows("stop_first", in: database) == 3, "\(running.output)")
      #expect(try await Self.rows("stop_second", in: database) == nil, "\(running.output)")
      #expect(try await Self.noSessionLeft(in: database))
      // The check's `sleep 600` ended with it.
      let left = ProcessTable().tied(to: project.path)
      #expect(left.isEmpty, "\(ProcessTable.describe(left))")
      _ = try await DatabaseTests.cluster.query("drop database \(database)")
    }

    @Test(
      "INT, TERM or HUP once the first step's finish event is out: the first stays whole, the second is whole or absent",
      arguments: signals)
    func afterFinishEvent(_ signal: Int32) async throws {
      let database = try await Self.makeDatabase("event")
      let project = try Self.project(
        database: database,
        tasks: """
            first: { sql: first.sql }
            second: { sql: second.sql }
            both: { steps: [first, second] }
          """,
        files: [
          "first.sql": "create table stop_first (id int);\ninsert into stop_first values (1), (2), (3);\n",
          "second.sql": """
          create table stop_second (id int);
          insert into stop_second select generate_series(1, 100000);

          """,
        ])
      defer { project.remove() }
      let running = try RunningCruddur.start(["both", "--format", "json"], in: project.path)
      let firstFinished = {
        running.output.split(separator: "\n").contains {
          $0.contains(#""event":"step_finished""#) && $0.contains(#""task":"first""#)
        }
      }
      #expect(try await eventually(60) { firstFinished() }, "\(running.output)")
      kill(running.pid, signal)
      let status = await running.wait()
      // The signal lands between the steps or during the second: stopped (130), or, when
      // the second had already committed, done (0). Never half.
      #expect(status == 130 || status == 0, "\(running.output)")
      #expect(try await Self.rows("stop_first", in: database) == 3, "\(running.output)")
      let second = try await Self.rows("stop_second", in: database)
      #expect(status == 0 ? second == 100_000 : (second == nil || second == 100_000), "\(running.output)")
      #expect(try await Self.noSessionLeft(in: database))
      let left = ProcessTable().tied(to: project.path)
      #expect(left.isEmpty, "\(ProcessTable.describe(left))")
      _ = try await DatabaseTests.cluster.query("drop database \(database)")
    }
  }
}

/// A stop during the embedded server's start: `initdb` and `pg_ctl` are found in the
/// process table by the project's folder in their command line, then the run is signalled.
// A backstop against a hang only (it also counts time queued behind the parallel suite):
// each wait in it has its own bound.
@Suite(.timeLimit(.minutes(15))) struct EmbeddedStopTests {
  static func project(port: Int) throws -> TemporaryProject {
    try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local:
          default: true
          embedded: true
          url: postgresql://postgres:\(TestCluster.password)@localhost:\(port)/postgres
      tasks:
        load: { sql: load.sql }

      """,
      "load.sql": "create table stop_embedded (id int);\ninsert into stop_embedded values (1), (2), (3);\n",
    ])
  }

  /// A folder of PostgreSQL's programs (links to the real ones) whose `program` is a
  /// script that stops itself (SIGSTOP) before it execs the real one: the phase it stands
  /// for can then be seen however fast the machine, and is continued by the test once the
  /// run has been signalled. initdb finished unseen on a quiet CI machine before.
  static func stoppingBefore(_ program: String) throws -> TemporaryDirectory {
    let programs = try TemporaryDirectory(prefix: "cruddur-pg-bin")
    let real = try LocalCluster.binDirectory()
    for name in try FileManager.default.contentsOfDirectory(atPath: real) where name != program {
      try FileManager.default.createSymbolicLink(atPath: programs.path + "/" + name, withDestinationPath: real + "/" + name)
    }
    try programs.write(program, "#!/bin/sh\nkill -STOP $$\nexec '\(real)/\(program)' \"$@\"\n")
    chmod(programs.path, 0o755)
    chmod(programs.path + "/" + program, 0o755)
    return programs
  }

  /// Waits until `program`, working for this project, has stopped itself; its process group
  /// (runuser stops with it when cruddur runs as root) is what the test continues.
  static func held(_ program: String, in project: TemporaryProject) async throws -> pid_t? {
    var group: pid_t?
    _ = try await eventually(120) {
      guard let found = ProcessTable.find(program, withArgument: project.path), found.state == "T" else { return false }
      group = found.group
      return true
    }
    return group
  }

  /// The pid of a whole cluster's running postmaster, from its pid file.
  static func postmaster(in project: TemporaryProject) -> pid_t? {
    guard let text = try? String(contentsOfFile: project.path + "/.cruddur/data/postmaster.pid", encoding: .utf8),
      let pid = text.split(separator: "\n").first.flatMap({ pid_t($0) }), kill(pid, 0) == 0
    else { return nil }
    return pid
  }

  static func rows(port: Int) async throws -> Int? {
    let url = "postgresql://postgres:\(TestCluster.password)@127.0.0.1:\(port)/postgres"
    let connection = try await Connection.connect(
      try ConnInfo(parsing: ConnectionURL(url)), applicationName: "cruddur-tests")
    defer { Task { await connection.close() } }
    guard
      try await connection.execute("select to_regclass('stop_embedded') is not null", parameters: []).rows.first?.first
        == "t"
    else { return nil }
    return try await connection.execute("select count(*) from stop_embedded", parameters: []).rows.first?.first?.flatMap
    { Int($0) }
  }

  /// What is in `.cruddur/` besides the lock and the log: no `data` means no cluster a
  /// later run would trust.
  static func folders(_ project: TemporaryProject) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: project.path + "/.cruddur")) ?? []).filter {
      $0 == "data" || $0.hasPrefix("data.partial-")
    }.sorted()
  }

  @Test(
    "INT, TERM or HUP during initdb: initdb and its postgres end, no data folder is left",
    arguments: [SIGINT, SIGTERM, SIGHUP])
  func duringInitdb(_ signal: Int32) async throws {
    let port = try TestCluster.freePort()
    let project = try Self.project(port: port)
    defer { project.remove() }
    let programs = try Self.stoppingBefore("initdb")
    defer { programs.remove() }
    let running = try RunningCruddur.start(["load"], in: project.path, environment: ["PG_BINDIR": programs.path])
    let group = try await Self.held("initdb", in: project)
    defer { if let group { kill(-group, SIGCONT) } }
    #expect(group != nil, "\(running.output)")
    kill(running.pid, signal)
    if let group { kill(-group, SIGCONT) }
    #expect(await running.wait() == 130, "\(running.output)")
    // Before, initdb went on, pg_ctl started the server and only then did the run stop.
    let left = ProcessTable().tied(to: project.path)
    #expect(left.isEmpty, "\(ProcessTable.describe(left))")
    #expect(Self.folders(project) == [], "\(running.output)")
  }

  @Test("INT during `local start`'s initdb: exit 130, initdb ended, no data folder")
  func localStartDuringInitdb() async throws {
    let port = try TestCluster.freePort()
    let project = try Self.project(port: port)
    defer { project.remove() }
    let programs = try Self.stoppingBefore("initdb")
    defer { programs.remove() }
    let running = try RunningCruddur.start(
      ["local", "start"], in: project.path, environment: ["PG_BINDIR": programs.path])
    let group = try await Self.held("initdb", in: project)
    defer { if let group { kill(-group, SIGCONT) } }
    #expect(group != nil, "\(running.output)")
    kill(running.pid, SIGINT)
    if let group { kill(-group, SIGCONT) }
    // Before, SIGINT's default action ended cruddur alone; initdb ran on, orphaned.
    #expect(await running.wait() == 130, "\(running.output)")
    let left = ProcessTable().tied(to: project.path)
    #expect(left.isEmpty, "\(ProcessTable.describe(left))")
    #expect(Self.folders(project) == [], "\(running.output)")
  }

  @Test(
    "cruddur killed (SIGKILL) during initdb: the half-made folder is never trusted; the next run makes the cluster anew"
  )
  func killedDuringInitdb() async throws {
    let port = try TestCluster.freePort()
    let project = try Self.project(port: port)
    // Stopped and removed at the end; this only for a test that throws first.
    defer {
      Task {
        _ = try? await project.run(["local", "stop"])
        project.remove()
      }
    }
    let programs = try Self.stoppingBefore("initdb")
    defer { programs.remove() }
    let running = try RunningCruddur.start(["load"], in: project.path, environment: ["PG_BINDIR": programs.path])
    let group = try await Self.held("initdb", in: project)
    defer { if let group { kill(-group, SIGCONT) } }
    #expect(group != nil, "\(running.output)")
    kill(running.pid, SIGKILL)
    if let group { kill(-group, SIGCONT) }
    #expect(await running.wait() == 128 + SIGKILL)
    // Nothing can end initdb for a killed parent: it runs on, into its own folder.
    #expect(try await eventually(120) { ProcessTable().tied(to: project.path).isEmpty })
    #expect(!Self.folders(project).contains("data"), "\(Self.folders(project))")
    let again = try await project.run(["load"])
    #expect(again.status == 0, "\(again)")
    #expect(again.stdout.contains("created"), "\(again)")
    #expect(try await Self.rows(port: port) == 3)
    #expect(Self.folders(project) == ["data"])
    _ = try await project.run(["local", "stop"])
    project.remove()
  }

  @Test("TERM during pg_ctl start: pg_ctl is let finish and nothing else is left; the step is done or not begun")
  func duringServerStart() async throws {
    let port = try TestCluster.freePort()
    let project = try Self.project(port: port)
    // Stopped and removed at the end; this only for a test that throws first.
    defer {
      Task {
        _ = try? await project.run(["local", "stop"])
        project.remove()
      }
    }
    let made = try await project.run(["local", "start"])
    #expect(made.status == 0, "\(made)")
    let stopped = try await project.run(["local", "stop"])
    #expect(stopped.status == 0, "\(stopped)")
    // pg_ctl start lasts a fraction of a second: it is held (`stoppingBefore`) so the test
    // sees the phase, and continued once the run is signalled.
    let programs = try Self.stoppingBefore("pg_ctl")
    defer { programs.remove() }
    let running = try RunningCruddur.start(["load"], in: project.path, environment: ["PG_BINDIR": programs.path])
    let group = try await Self.held("pg_ctl", in: project)
    defer { if let group { kill(-group, SIGCONT) } }
    #expect(group != nil, "\(running.output)")
    kill(running.pid, SIGTERM)
    if let group { kill(-group, SIGCONT) }
    let status = await running.wait()
    #expect(status == 130 || status == 0, "\(running.output)")
    // pg_ctl is let finish, so its server runs; the orphan reaper, which adopted the
    // postmaster after the stop began, leaves it running (spared by its pid).
    let server = try #require(Self.postmaster(in: project), "\(running.output)")
    let left = ProcessTable().tied(to: project.path, sparing: [server])
    #expect(left.isEmpty, "\(ProcessTable.describe(left))")
    let rows = try await Self.rows(port: port)
    #expect(status == 0 ? rows == 3 : rows == nil, "\(running.output)")
    _ = try await project.run(["local", "stop"])
    project.remove()
  }
}
