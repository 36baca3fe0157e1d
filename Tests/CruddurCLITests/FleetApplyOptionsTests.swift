import CruddurCore
import CruddurTestSupport
import Foundation
import Testing

/// `apply FILE` of a fleet plan takes the fleet options a run takes (`--shard`,
/// `--parallel`, `--canary`, `--run-id`, `--resume`) and records the plan on each target it
/// finishes (`cruddur.applied_plans`), where a destructive plan is then refused a second
/// time unless `--again`. In FleetPlanTests' suite: the same two servers and 220
/// databases, each test with tables of its own.
extension FleetPlanTests {
  /// Rows of `cruddur.applied_plans` with `digest` in each database of `cluster`, by name.
  func appliedRows(_ digest: String, on cluster: TestCluster, _ names: [String]) async throws
    -> [String: Int]
  {
    var rows: [String: Int] = [:]
    for name in names {
      let count = try await cluster.value(
        """
        select case when to_regclass('cruddur.applied_plans') is null then 0
          else (select count(*) from cruddur.applied_plans where digest = '\(digest)') end
        """, database: name)
      rows[name] = count.flatMap { Int($0) } ?? -1
    }
    return rows
  }

  func digest(_ project: TemporaryProject, _ name: String) throws -> String {
    SavedPlan.sha256(of: try Data(contentsOf: URL(fileURLWithPath: project.path + "/" + name)))
  }

  @Test(
    "four `apply --shard K/4` cover the fleet exactly once and each target records the plan; the destructive plan applied again is refused on every target and runs nothing; with --again (--canary, --parallel) it runs and records again"
  )
  func shardedApplyRecordsAndRefusesAgain() async throws {
    let project = try project(
      "  fleet:wipe: { sql: wipe.sql }",
      files: [
        "wipe.sql": "drop table if exists wiped_apply;\ncreate table wiped_apply (id int);\n"
      ],
      // Statements are judged destructive on a protected environment (as on one database).
      protected: true)
    defer { project.remove() }
    let plan = try await project.run(
      ["plan", "fleet:wipe", "-e", "tenants", "--out", "wipe.plan.json"], environment: environment)
    #expect(plan.status == 0, "\(plan)")
    let digest = try digest(project, "wipe.plan.json")

    for k in 1...4 {
      let shard = try await project.run(
        [
          "apply", "wipe.plan.json", "--yes", "--shard", "\(k)/4", "--run-id", "apply-shards",
          "--parallel", "3",
        ],
        environment: environment)
      #expect(shard.status == 0, "\(shard)")
      #expect(shard.stdout.contains("(shard \(k)/4 of 220)"), "\(shard)")
    }
    // Exactly once: one record per target (a target run twice would have two).
    let a = try await appliedRows(digest, on: servers.a, FleetServers.allA)
    let b = try await appliedRows(digest, on: servers.b, FleetServers.allB)
    #expect(a.values.allSatisfy { $0 == 1 } && b.values.allSatisfy { $0 == 1 }, "\(a) \(b)")
    let runs = try await project.run(
      ["runs", "apply-shards", "-e", "tenants"], environment: environment)
    #expect(runs.status == 0, "\(runs)")
    #expect(
      runs.stdout
        == "run apply-shards on fleet tenants: 220 targets: 220 done, 0 failed, 0 not recorded\n",
      "\(runs)")

    // A row the wipe would remove shows whether anything ran.
    _ = try await servers.a.query("insert into wiped_apply values (7)", database: "fa_001")
    let again = try await project.run(
      ["apply", "wipe.plan.json", "--yes"], environment: environment)
    #expect(again.status == 1, "\(again)")
    #expect(again.stdout.contains(": 220 failed (run "), "\(again)")
    #expect(
      again.stdout.contains(
        "refused: `wipe.plan.json` (sha256 \(digest.prefix(12))…) was already applied to 127.0.0.1:"
      ), "\(again)")
    #expect(
      try await servers.a.value("select count(*) from wiped_apply", database: "fa_001") == "1")

    let forced = try await project.run(
      ["apply", "wipe.plan.json", "--yes", "--again", "--canary", "2", "--parallel", "4"],
      environment: environment)
    #expect(forced.status == 0, "\(forced)")
    #expect(forced.stdout.contains(": 220 done (run "), "\(forced)")
    #expect(
      try await servers.a.value("select count(*) from wiped_apply", database: "fa_001") == "0")
    let twice = try await appliedRows(digest, on: servers.b, FleetServers.allB)
    #expect(twice.values.allSatisfy { $0 == 2 }, "\(twice)")
  }

  @Test(
    "a migrate plan applied with one failing target: `apply --resume` runs exactly that one; the 9 it finished moved by the plan's own doing and are not named as drifted"
  )
  func resumedApplyIsNotDrift() async throws {
    // Databases of its own: a ledger it leaves must not show in the suite's other plans.
    let names = (1...5).map { String(format: "fr_%02d", $0) }
    for cluster in [servers.a, servers.b] {
      for name in names { _ = try await cluster.query("create database \(name) template tmpl") }
    }
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        resumed:
          server: ["${A_URL}", "${B_URL}"]
          databases: "fr_*"
      tasks:
        db:migrate: { migrate: db/migrations, dump: false }
      """,
      "db/migrations/20261207150000_resumed_apply.sql":
        "-- migrate:up\ncreate table resumed_apply (id int);\n-- migrate:down\ndrop table resumed_apply;\n",
    ])
    defer { project.remove() }
    let plan = try await project.run(
      ["plan", "db:migrate", "-e", "resumed", "--out", "migrate.plan.json"],
      environment: environment)
    #expect(plan.status == 0, "\(plan)")
    // The conflict: fr_03 on B already has the table the migration creates.
    _ = try await servers.b.query("create table resumed_apply (id int)", database: "fr_03")
    let first = try await project.run(
      ["apply", "migrate.plan.json", "--run-id", "apply-resume"], environment: environment)
    #expect(first.status == 1, "\(first)")
    #expect(first.stdout.contains(": 9 done, 1 failed (run apply-resume)"), "\(first)")
    #expect(
      first.stdout.contains("resume with: cruddur apply migrate.plan.json --resume apply-resume"),
      "\(first)")

    _ = try await servers.b.query("drop table resumed_apply", database: "fr_03")
    let resumed = try await project.run(
      ["apply", "migrate.plan.json", "--resume", "apply-resume"], environment: environment)
    #expect(resumed.status == 0, "\(resumed)")
    #expect(!resumed.stderr.contains("drifted"), "\(resumed)")
    #expect(resumed.stdout.contains(": 1 done, 9 done before (run apply-resume)"), "\(resumed)")
    #expect(try await having("resumed_apply", on: servers.b, names) == names)

    // Hostile twin: without --resume the same plan is refused, every target having moved.
    let replayed = try await project.run(["apply", "migrate.plan.json"], environment: environment)
    #expect(replayed.status == 3, "\(replayed)")
    #expect(
      replayed.stderr.contains(
        "error: refused: 10 of the 10 targets planned in `migrate.plan.json` drifted"),
      "\(replayed)")
    // Dropped for the suite's fleet-wide plans; left by a failure, they go with the servers.
    for cluster in [servers.a, servers.b] {
      for name in names { _ = try await cluster.query("drop database \(name)") }
    }
  }

  @Test(
    "hostile: two `apply --wait` of one destructive plan at once: each target is applied exactly once (the check runs under the target's run lock), the other apply refused there"
  )
  func concurrentAppliesApplyOnce() async throws {
    let names = (1...5).map { String(format: "fc_%02d", $0) }
    for cluster in [servers.a, servers.b] {
      for name in names { _ = try await cluster.query("create database \(name) template tmpl") }
    }
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        twice:
          server: ["${A_URL}", "${B_URL}"]
          databases: "fc_*"
          protected: true
      tasks:
        fleet:wipe: { sql: wipe.sql }
      """,
      "wipe.sql": "drop table if exists wiped_twice;\ncreate table wiped_twice (id int);\n",
    ])
    defer { project.remove() }
    let plan = try await project.run(
      ["plan", "fleet:wipe", "-e", "twice", "--out", "wipe.plan.json"], environment: environment)
    #expect(plan.status == 0, "\(plan)")
    let digest = try digest(project, "wipe.plan.json")
    let arguments = ["apply", "wipe.plan.json", "--yes", "--wait"]
    async let first = project.run(arguments, environment: environment)
    async let second = project.run(arguments, environment: environment)
    let results = try await [first, second]
    // Whichever takes a target's lock first applies it; the other, waiting, then finds the
    // record and is refused there. Between them: 10 done, 10 refused.
    func count(_ word: String, _ text: String) -> Int {
      guard
        let line = text.split(separator: "\n").last(where: {
          $0.contains(" targets in ") && $0.contains("(run ")
        }),
        let found = line.range(of: #"\d+ "# + word, options: .regularExpression)
      else { return 0 }
      return Int(line[found].split(separator: " ")[0]) ?? 0
    }
    #expect(results.map { count("done", $0.stdout) }.reduce(0, +) == 10, "\(results)")
    #expect(results.map { count("failed", $0.stdout) }.reduce(0, +) == 10, "\(results)")
    #expect(
      results.allSatisfy {
        $0.status == 0 || $0.stdout.contains("was already applied to 127.0.0.1:")
      },
      "\(results)")
    let a = try await appliedRows(digest, on: servers.a, names)
    let b = try await appliedRows(digest, on: servers.b, names)
    #expect(a.values.allSatisfy { $0 == 1 } && b.values.allSatisfy { $0 == 1 }, "\(a) \(b)")
    for cluster in [servers.a, servers.b] {
      for name in names { _ = try await cluster.query("drop database \(name)") }
    }
  }

  @Test(
    "hostile: fleet options on a plan of one database, a bad shard, a canary larger than the shard, --resume with another --run-id"
  )
  func applyFleetOptionErrors() async throws {
    let project = try project("  ask: { query: \"select 1\" }")
    defer { project.remove() }
    #expect(
      try await project.run(
        ["plan", "ask", "-e", "single", "--out", "one.plan.json"], environment: environment
      )
      .status == 0)
    #expect(
      try await project.run(
        ["plan", "ask", "-e", "tenants", "--out", "fleet.plan.json"], environment: environment
      )
      .status == 0)
    let one = try await project.run(
      ["apply", "one.plan.json", "--parallel", "2"], environment: environment)
    #expect(one.status == 2, "\(one)")
    #expect(
      one.stderr.hasPrefix(
        "error: --parallel applies to a fleet, and environment `single` is one database"),
      "\(one)")
    let shard = try await project.run(
      ["apply", "fleet.plan.json", "--shard", "5/4"], environment: environment)
    #expect(shard.status == 2, "\(shard)")
    #expect(shard.stderr.contains("5/4"), "\(shard)")
    // Half the fleet, never 219 of its 220 targets: a shard of 1/64 (the ports, and so the
    // targets' hashes, differ each run) was empty about one run in thirty, and an empty shard
    // is said before the canary is checked.
    let canary = try await project.run(
      ["apply", "fleet.plan.json", "--shard", "1/2", "--canary", "219"], environment: environment)
    #expect(canary.status == 2, "\(canary)")
    #expect(canary.stderr.contains("--canary 219"), "\(canary)")
    let ids = try await project.run(
      ["apply", "fleet.plan.json", "--resume", "r1", "--run-id", "r2"], environment: environment)
    #expect(ids.status != 0, "\(ids)")
    #expect(ids.stderr.contains("--resume r1 continues that run"), "\(ids)")
  }
}
