import CruddurCore
import CruddurPostgres
import CruddurProcess
import CruddurTestSupport
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Two servers for the fleet suite ("two physical servers"), with 120 + 100 tenant
/// databases made from a template, started before its tests and stopped after them.
struct FleetServers: Sendable {
  static let countA = 120
  static let countB = 100
  let a: TestCluster
  let b: TestCluster

  @TaskLocal static var current: FleetServers?
  static var required: FleetServers {
    guard let current else { fatalError("nest this test in FleetTests") }
    return current
  }

  static func start() async throws -> FleetServers {
    let (a, b) = (try TestCluster.start(), try TestCluster.start())
    async let madeA: Void = makeTenants(on: a, prefix: "fa", count: countA)
    async let madeB: Void = makeTenants(on: b, prefix: "fb", count: countB)
    _ = try await (madeA, madeB)
    return FleetServers(a: a, b: b)
  }

  /// `fa_001`…: copies of an empty template, file by file (no WAL for each copy).
  static func makeTenants(on cluster: TestCluster, prefix: String, count: Int) async throws {
    let info = try ConnInfo(parsing: ConnectionURL(cluster.url(database: "postgres")))
    let connection = try await Connection.connect(info, applicationName: "cruddur-tests")
    // Nothing here must survive a power cut, and a server restarted after an immediate
    // stop would otherwise fsync every file of 100 databases before it accepts anyone.
    try await connection.execute("alter system set fsync = off")
    try await connection.execute("select pg_reload_conf()")
    try await connection.execute("create database tmpl")
    for n in 1...count {
      try await connection.execute(
        "create database \(prefix)_\(String(format: "%03d", n)) template tmpl strategy file_copy")
    }
    await connection.close()
  }

  func stop() {
    a.stop()
    b.stop()
  }

  static func names(_ prefix: String, _ count: Int) -> [String] {
    (1...count).map { "\(prefix)_\(String(format: "%03d", $0))" }
  }
  static var allA: [String] { names("fa", countA) }
  static var allB: [String] { names("fb", countB) }
}

struct FleetServersTrait: SuiteTrait, TestScoping {
  var isRecursive: Bool { false }
  func provideScope(
    for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
  ) async throws {
    let servers = try await FleetServers.start()
    defer { servers.stop() }
    try await FleetServers.$current.withValue(servers) { try await function() }
  }
}

/// `cruddur TASK -e FLEET` on two real servers and 220 databases: the per-server bound
/// sampled from pg_stat_activity, a failing canary, one conflicting target among 219 that
/// complete, a server killed mid-run and the run resumed, four shard processes.
/// Serialized: the tests share the databases and one stops a server.
@Suite(.serialized, FleetServersTrait()) struct FleetTests {
  var servers: FleetServers { FleetServers.required }

  func project(_ tasks: String, files: [String: String] = [:], perServer: Int = 4) throws
    -> TemporaryProject
  {
    var all = files
    all["cruddur.yml"] = """
      version: 1
      environments:
        tenants:
          server: ["${A_URL}", "${B_URL}"]
          databases: "f?_*"
          per_server: \(perServer)
        one: { url: "${A_URL}" }
      tasks:
      \(tasks)
      """
    return try TemporaryProject(files: all)
  }

  var environment: [String: String] {
    ["A_URL": servers.a.url(database: "postgres"), "B_URL": servers.b.url(database: "postgres")]
  }

  /// Databases of `cluster` among `names` that have `table`.
  func having(_ table: String, on cluster: TestCluster, _ names: [String]) async throws -> [String]
  {
    var out: [String] = []
    for name in names
    where try await cluster.value(
      "select to_regclass('public.\(table)') is not null", database: name) == "t"
    {
      out.append(name)
    }
    return out
  }

  /// Connections cruddur holds on `cluster` now (its sessions are named `cruddur`,
  /// `cruddur fleet` and `cruddur pid=…` for the run lock).
  func cruddurConnections(_ sampler: Connection) async throws -> Int {
    let rows = try await sampler.execute(
      """
      select count(*) from pg_stat_activity
      where application_name = 'cruddur' or application_name like 'cruddur %'
      """, parameters: []
    ).rows
    return Int((rows.first?.first ?? nil) ?? "0") ?? 0
  }

  func sampler(_ cluster: TestCluster) async throws -> Connection {
    try await Connection.connect(
      try ConnInfo(parsing: ConnectionURL(cluster.url(database: "postgres"))),
      applicationName: "fleet-sampler")
  }

  @Test(
    "per_server bounds each server's connections (sampled from pg_stat_activity); one conflicting target fails, named with file:line and SQLSTATE, the other 219 complete"
  )
  func boundAndIsolatedFailure() async throws {
    let project = try project(
      "  notes:add: { sql: notes.sql }",
      files: [
        "notes.sql": "create table conflict_a (id int primary key);\nselect pg_sleep(0.05);\n"
      ])
    defer { project.remove() }
    _ = try await servers.b.query("create table conflict_a (x text)", database: "fb_042")
    let finished = FleetFlag()
    let environment = environment
    let run = Task {
      defer { finished.set() }
      return try await project.run(
        ["notes:add", "-e", "tenants", "--parallel", "16"], environment: environment)
    }
    // One sampling session per server, for the whole run.
    let samplerA = try await sampler(servers.a)
    let samplerB = try await sampler(servers.b)
    var peak = (a: 0, b: 0)
    while !finished.isSet {
      peak.a = max(peak.a, try await cruddurConnections(samplerA))
      peak.b = max(peak.b, try await cruddurConnections(samplerB))
    }
    await samplerA.close()
    await samplerB.close()
    let result = try await run.value
    #expect(result.status == 1, "\(result)")
    #expect(peak.a <= 4 && peak.b <= 4, "peak connections a \(peak.a), b \(peak.b)")
    #expect(peak.a >= 2 && peak.b >= 2, "the sampler saw the run: a \(peak.a), b \(peak.b)")
    #expect(
      result.stderr.contains(
        "✗ 127.0.0.1:\(servers.b.port)/fb_042: relation \"conflict_a\" already exists"))
    #expect(
      result.stdout.contains(
        "failed targets:\n  ✗ 127.0.0.1:\(servers.b.port)/fb_042: relation \"conflict_a\" already exists  [SQLSTATE 42P07] (notes.sql:1:1)\n"
      ), "\(result)")
    #expect(result.stdout.contains("220 targets in"), "\(result)")
    #expect(result.stdout.contains(": 219 done, 1 failed (run "), "\(result)")
    #expect(
      try await having("conflict_a", on: servers.a, FleetServers.allA).count == FleetServers.countA)
    // fb_042 keeps its own table (the failed transaction left nothing); every other has the new one.
    #expect(
      try await servers.b.value(
        "select count(*) from information_schema.columns where table_name = 'conflict_a' and column_name = 'x'",
        database: "fb_042") == "1")
    #expect(
      try await having("conflict_a", on: servers.b, FleetServers.allB).count == FleetServers.countB)
    #expect(!result.output.contains(TestCluster.password))
  }

  @Test("a failing canary: the first targets run alone, one fails, nothing else starts")
  func canary() async throws {
    let project = try project(
      "  canary:add: { sql: canary.sql }",
      files: ["canary.sql": "create table canary_b (id int);\n"])
    defer { project.remove() }
    _ = try await servers.a.query("create table canary_b (x text)", database: "fa_002")
    let result = try await project.run(
      ["canary:add", "-e", "tenants", "--canary", "3"], environment: environment)
    #expect(result.status == 1, "\(result)")
    #expect(
      result.stdout.contains("the canary failed (1 of 3): no other target was started"), "\(result)"
    )
    #expect(result.stdout.contains(": 2 done, 1 failed, 217 not started (run "), "\(result)")
    let madeA = try await having("canary_b", on: servers.a, FleetServers.allA)
    #expect(madeA == ["fa_001", "fa_002", "fa_003"])
    #expect(try await having("canary_b", on: servers.b, FleetServers.allB).isEmpty)
  }

  @Test(
    "the second server killed mid-run (pg_ctl stop -m immediate): its targets fail, the rest are done; after a restart --resume runs exactly the unfinished ones"
  )
  func serverDiesThenResume() async throws {
    // Targets on B sleep while `hold_fleet` exists there, so the run is surely mid-way on B
    // when the test sees a sleeping session; the sleep ends the moment B goes down.
    let migration = """
      -- migrate:up
      create table resumed (id int);
      select pg_sleep(case when exists (select from pg_database where datname = 'hold_fleet') then 600 else 0 end);
      """
    let project = try project(
      "  db:migrate: { migrate: db/migrations, dump: false }",
      files: ["db/migrations/20261207120000_resumed.sql": migration])
    defer { project.remove() }
    _ = try await servers.b.query("create database hold_fleet")
    let run = Task {
      try await project.run(
        ["db:migrate", "-e", "tenants", "--run-id", "stop-test"], environment: environment)
    }
    // Wait until a target on B is inside its migration, then kill B.
    while try await servers.b.value(
      "select count(*) from pg_stat_activity where query like '%pg_sleep(case%' and application_name = 'cruddur'"
    ) == "0" {
      try await Task.sleep(for: .milliseconds(20))
    }
    try stopImmediately(servers.b)
    let first = try await run.value
    #expect(first.status == 1, "\(first)")
    #expect(first.stdout.contains(": 120 done, 100 failed (run stop-test)"), "\(first)")
    #expect(first.stdout.contains("resume with: cruddur db:migrate -e tenants --resume stop-test"))
    #expect(
      try await having("resumed", on: servers.a, FleetServers.allA).count == FleetServers.countA)

    _ = try servers.b.cluster.start()
    _ = try await servers.b.query("drop database hold_fleet")
    #expect(
      try await having("resumed", on: servers.b, FleetServers.allB).isEmpty,
      "B's transactions rolled back")
    let runs = try await project.run(
      ["runs", "stop-test", "-e", "tenants"], environment: environment)
    #expect(runs.status == 1)
    #expect(
      runs.stdout.hasPrefix(
        "run stop-test on fleet tenants: 220 targets: 120 done, 0 failed, 100 not recorded\n"),
      "\(runs)")

    let resumed = try await project.run(
      ["db:migrate", "-e", "tenants", "--resume", "stop-test"], environment: environment)
    #expect(resumed.status == 0, "\(resumed)")
    #expect(resumed.stdout.contains(": 100 done, 120 done before (run stop-test)"), "\(resumed)")
    // Exactly B's targets ran: each line of a target that ran names a B database.
    let ran = resumed.stdout.split(separator: "\n").filter {
      $0.hasPrefix("✓ 127.0.0.1:") && !$0.hasSuffix("done before")
    }
    #expect(
      ran.count == 100 && ran.allSatisfy { $0.contains(":\(servers.b.port)/fb_") }, "\(resumed)")
    #expect(
      try await having("resumed", on: servers.b, FleetServers.allB).count == FleetServers.countB)
    let after = try await project.run(
      ["runs", "stop-test", "-e", "tenants"], environment: environment)
    #expect(after.status == 0, "\(after)")
    #expect(
      after.stdout
        == "run stop-test on fleet tenants: 220 targets: 220 done, 0 failed, 0 not recorded\n")
  }

  @Test(
    "four shard processes at once cover the fleet exactly once (a second visit would fail: the table exists), and `cruddur runs` reads the whole run"
  )
  func shards() async throws {
    let project = try project(
      "  shard:add: { sql: shard.sql }", files: ["shard.sql": "create table sharded (id int);\n"])
    defer { project.remove() }
    let environment = environment
    let results = try await withThrowingTaskGroup(of: CruddurBinary.Result.self) { group in
      for k in 1...4 {
        group.addTask {
          try await project.run(
            ["shard:add", "-e", "tenants", "--shard", "\(k)/4", "--run-id", "shard-test", "-q"],
            environment: environment)
        }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    for result in results { #expect(result.status == 0, "\(result)") }
    let counts = results.compactMap { result -> Int? in
      guard
        let range = result.stdout.range(
          of: #"✓ fleet tenants: (\d+) targets"#, options: .regularExpression)
      else { return nil }
      return Int(result.stdout[range].split(separator: " ")[3])
    }
    #expect(counts.count == 4 && counts.reduce(0, +) == 220, "\(counts)")
    #expect(
      try await having("sharded", on: servers.a, FleetServers.allA).count == FleetServers.countA)
    #expect(
      try await having("sharded", on: servers.b, FleetServers.allB).count == FleetServers.countB)
    let runs = try await project.run(
      ["runs", "shard-test", "-e", "tenants"], environment: environment)
    #expect(
      runs.stdout
        == "run shard-test on fleet tenants: 220 targets: 220 done, 0 failed, 0 not recorded\n",
      "\(runs)")
  }

  @Test(
    "JSON: every event of every target carries `target`; `envs --check` counts the fleet with URLs masked"
  )
  func jsonAndEnvs() async throws {
    let project = try project("  who: { query: select current_database() as db }")
    defer { project.remove() }
    let result = try await project.run(
      ["who", "-e", "tenants", "--format", "json", "--shard", "1/8"], environment: environment)
    #expect(result.status == 0, "\(result)")
    let objects = result.stdout.split(separator: "\n").compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
    #expect(objects.count > 20)
    for object in objects
    where !["fleet_started", "fleet_finished"].contains(object["event"] as? String) {
      #expect(object["target"] is String, "\(object)")
    }
    // A row's `db` is its target's database.
    for object in objects where object["event"] as? String == "step_row" {
      let db = (object["row"] as? [String: Any])?["db"] as? String ?? "?"
      #expect((object["target"] as? String)?.hasSuffix("/" + db) == true)
    }
    let envs = try await project.run(["envs", "--check"], environment: environment)
    #expect(
      envs.stdout == """
        tenants\tfleet: databases `f?_*` on 2 servers (postgresql://postgres:****@127.0.0.1:\(servers.a.port)/postgres, postgresql://postgres:****@127.0.0.1:\(servers.b.port)/postgres): 220 targets on 2 servers
        one\tpostgresql://postgres:****@127.0.0.1:\(servers.a.port)/postgres\tstamp: none (not created by cruddur; `cruddur stamp` claims it)

        """, "\(envs)")
  }

  @Test(
    "hostile: fleet options on one database, a bad shard, per_server below what a target needs, a pattern matching nothing"
  )
  func hostile() async throws {
    let project = try project(
      "  db:migrate: { migrate: db/migrations, dump: false }\n  who: { query: select 1 }",
      files: ["db/migrations/.keep": ""], perServer: 1)
    defer { project.remove() }
    let one = try await project.run(
      ["who", "-e", "one", "--canary", "2"], environment: environment)
    #expect(one.status == 2)
    #expect(
      one.stderr.hasPrefix(
        "error: --canary applies to a fleet, and environment `one` is one database\n"), "\(one)")
    let shard = try await project.run(
      ["who", "-e", "tenants", "--shard", "5/4"], environment: environment)
    #expect(shard.status == 2)
    #expect(
      shard.stderr.hasPrefix("error: --shard must be K/N with 1 ≤ K ≤ N, found `5/4`\n"), "\(shard)"
    )
    let small = try await project.run(["db:migrate", "-e", "tenants"], environment: environment)
    #expect(small.status == 2)
    // The servers are checked in the order of their names.
    let firstServer = ["127.0.0.1:\(servers.a.port)", "127.0.0.1:\(servers.b.port)"].min()!
    #expect(
      small.stderr.hasPrefix(
        "error: per_server: 1 for \(firstServer) is less than the 2 connections one target of this run needs (the run lock's included)\n"
      ), "\(small)")
    try project.write(
      "cruddur.yml",
      """
      version: 1
      environments:
        none: { server: "${A_URL}", databases: "nomatch_*" }
      tasks:
        who: { query: select 1 }
      """)
    let none = try await project.run(["who", "-e", "none"], environment: environment)
    #expect(none.status == 1)
    #expect(
      none.stderr
        == "error: fleet `none` has no targets: no database matches `nomatch_*` on its server\n",
      "\(none)")
    #expect(
      !(one.output + shard.output + small.output + none.output).contains(TestCluster.password))
  }
}

/// `pg_ctl stop -m immediate` on a test server: the postmaster quits at once (SIGQUIT),
/// its sessions cut off mid-statement, as a crashed machine's would be.
func stopImmediately(_ cluster: TestCluster) throws {
  let bin = try LocalCluster.binDirectory()
  let arguments = [
    bin + "/pg_ctl", "stop", "-m", "immediate", "-w", "-D", cluster.cluster.dataDirectory,
  ]
  let process: ChildProcess
  if getuid() == 0 {
    process = ChildProcess(
      executable: "/usr/sbin/runuser", arguments: ["-u", "postgres", "--"] + arguments,
      environment: ["PATH": "/usr/bin:/bin"])
  } else {
    process = ChildProcess(
      executable: arguments[0], arguments: Array(arguments.dropFirst()),
      environment: ["PATH": "/usr/bin:/bin"])
  }
  let devnull = open("/dev/null", O_WRONLY)
  defer { close(devnull) }
  let pid = try process.spawn(stdout: devnull, stderr: devnull)
  let status = ChildProcess.wait(pid)
  if status != 0 { throw POSIXError(.EIO) }
}

/// Set once, read from another task.
final class FleetFlag: Sendable {
  private let value = Mutex(false)
  func set() { value.withLock { $0 = true } }
  var isSet: Bool { value.withLock { $0 } }
}
