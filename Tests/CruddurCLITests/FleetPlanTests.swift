import CruddurCore
import CruddurTestSupport
import Foundation
import Testing

/// `plan TASK -e FLEET --out FILE` and `apply FILE` on two real servers and 220 databases:
/// every target recorded (masked), a target migrated by hand between plan and apply named
/// and refused, `--skip-drifted` running the others; hostile twins: a hand-edited target
/// list, a target dropped between plan and apply, `--skip-drifted` with nothing drifted,
/// `--skip-drifted` on a plan of one database, a changed file, a protected fleet's consent.
/// Serialized: the tests share the databases.
@Suite(.serialized, FleetServersTrait()) struct FleetPlanTests {
  var servers: FleetServers { FleetServers.required }

  func project(_ tasks: String, files: [String: String] = [:], protected: Bool = false) throws
    -> TemporaryProject
  {
    var all = files
    all["cruddur.yml"] = """
      version: 1
      environments:
        tenants:
          server: ["${A_URL}", "${B_URL}"]
          databases: "f?_*"
          per_server: 4\(protected ? "\n    protected: true" : "")
        single: { url: "${S_URL}" }
      tasks:
      \(tasks)
      """
    return try TemporaryProject(files: all)
  }

  var environment: [String: String] {
    [
      "A_URL": servers.a.url(database: "postgres"), "B_URL": servers.b.url(database: "postgres"),
      "S_URL": servers.a.url(database: "fa_007"),
    ]
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

  func label(_ cluster: TestCluster, _ database: String) -> String {
    "127.0.0.1:\(cluster.port)/\(database)"
  }

  func saved(_ project: TemporaryProject, _ name: String) throws -> SavedPlan {
    let path = project.path + "/" + name
    return try SavedPlan.decode(try Data(contentsOf: URL(fileURLWithPath: path)), path: name)
  }

  @Test(
    "plan --out records all 220 targets, masked, with their applied migrations; one migrated by hand since is named and nothing runs; --skip-drifted runs the other 219 and names it"
  )
  func migratedTargetDrifts() async throws {
    let project = try project(
      "  db:migrate: { migrate: db/migrations, dump: false }",
      files: [
        "db/migrations/20261207130000_planned.sql":
          "-- migrate:up\ncreate table planned (id int);\n-- migrate:down\ndrop table planned;\n"
      ])
    defer { project.remove() }
    let plan = try await project.run(
      ["plan", "db:migrate", "-e", "tenants", "--out", "fleet.plan.json"],
      environment: environment)
    #expect(plan.status == 0, "\(plan)")
    #expect(
      plan.stderr.contains("with what each of the 220 targets read; run it with `cruddur apply"),
      "\(plan)")
    let document = try saved(project, "fleet.plan.json")
    let fleet = try #require(document.fleet)
    #expect(fleet.version == 1)
    #expect(
      fleet.targets.map(\.label).sorted()
        == (FleetServers.allA.map { label(servers.a, $0) }
        + FleetServers.allB.map { label(servers.b, $0) }).sorted())
    // Each target's applied set is recorded: nothing yet, everywhere.
    #expect(fleet.targets.allSatisfy { $0.steps.map(\.targetState) == [[]] })
    let text = try String(contentsOfFile: project.path + "/fleet.plan.json", encoding: .utf8)
    #expect(!text.contains(TestCluster.password) && text.contains("****"))

    // fa_007 is migrated on its own between the plan and the apply.
    let byHand = try await project.run(["db:migrate", "-e", "single"], environment: environment)
    #expect(byHand.status == 0, "\(byHand)")
    let refused = try await project.run(["apply", "fleet.plan.json"], environment: environment)
    #expect(refused.status == 3, "\(refused)")
    #expect(
      refused.stderr.hasPrefix(
        """
        error: refused: 1 of the 220 targets planned in `fleet.plan.json` drifted since the plan; nothing was run
         = \(label(servers.a, "fa_007")): step 1 (db:migrate): the target moved since the plan: it recorded nothing, now 20261207130000 
        """), "\(refused)")
    #expect(refused.stderr.contains("`cruddur apply fleet.plan.json --skip-drifted`"))
    #expect(try await having("planned", on: servers.a, FleetServers.allA) == ["fa_007"])
    #expect(try await having("planned", on: servers.b, FleetServers.allB).isEmpty)

    let skipping = try await project.run(
      ["apply", "fleet.plan.json", "--skip-drifted"], environment: environment)
    #expect(skipping.status == 0, "\(skipping)")
    #expect(
      skipping.stderr.hasPrefix(
        "skipped 1 drifted target (--skip-drifted):\n  \(label(servers.a, "fa_007")): step 1 (db:migrate): the target moved since the plan"
      ), "\(skipping)")
    #expect(
      skipping.stdout.hasPrefix(
        "cruddur apply fleet.plan.json on fleet tenants: 219 targets on 2 servers (1 drifted, skipped), 1 step each, run "
      ), "\(skipping)")
    #expect(skipping.stdout.contains(": 219 done (run "), "\(skipping)")
    #expect(
      skipping.stdout.hasSuffix(
        "skipped 1 drifted target (--skip-drifted): \(label(servers.a, "fa_007"))\n"), "\(skipping)"
    )
    #expect(
      try await having("planned", on: servers.a, FleetServers.allA).count == FleetServers.countA)
    #expect(
      try await having("planned", on: servers.b, FleetServers.allB).count == FleetServers.countB)
    // Applied once, every target moved: the plan is now stale everywhere.
    let again = try await project.run(
      ["apply", "fleet.plan.json", "--skip-drifted"], environment: environment)
    #expect(again.status == 3, "\(again)")
    #expect(
      again.stderr.hasPrefix(
        "error: refused: 220 of the 220 targets planned in `fleet.plan.json` drifted since the plan, and no other is left to run; nothing was run\n"
      ), "\(again)")
    #expect(!(plan.output + refused.output + skipping.output).contains(TestCluster.password))
  }

  @Test(
    "hostile: a hand-edited target list is refused as edited, and with its digest recomputed the left-out target is named as added"
  )
  func editedTargetList() async throws {
    let project = try project(
      "  edit:add: { sql: edit.sql }", files: ["edit.sql": "create table edited (id int);\n"])
    defer { project.remove() }
    let plan = try await project.run(
      ["plan", "edit:add", "-e", "tenants", "--out", "p.json"], environment: environment)
    #expect(plan.status == 0, "\(plan)")
    var document = try saved(project, "p.json")
    let dropped = label(servers.b, "fb_013")
    document.fleet?.targets.removeAll { $0.label == dropped }
    // Edited by hand: the digest no longer matches.
    let naive = try document.encoded()
    try project.write("naive.json", naive)
    let edited = try await project.run(["apply", "naive.json"], environment: environment)
    #expect(edited.status == 3, "\(edited)")
    #expect(edited.stderr.contains("naive.json"), "\(edited)")
    // Edited with care, digest and all: the fleet read again still has the target.
    document.digest = document.identity()
    try project.write("careful.json", try document.encoded())
    let careful = try await project.run(["apply", "careful.json"], environment: environment)
    #expect(careful.status == 3, "\(careful)")
    #expect(
      careful.stderr.hasPrefix(
        """
        error: refused: 1 of the 219 targets planned in `careful.json` drifted since the plan; nothing was run
         = \(dropped): added to the fleet since the plan

        """), "\(careful)")
    #expect(try await having("edited", on: servers.a, FleetServers.allA).isEmpty)
    #expect(try await having("edited", on: servers.b, FleetServers.allB).isEmpty)
  }

  @Test(
    "hostile: --skip-drifted with nothing drifted runs every target and skips none; on a plan of one database it is an error"
  )
  func skipDriftedWithoutDrift() async throws {
    let project = try project(
      "  calm:add: { sql: calm.sql }", files: ["calm.sql": "create table calm (id int);\n"])
    defer { project.remove() }
    let plan = try await project.run(
      ["plan", "calm:add", "-e", "tenants", "--out", "p.json"], environment: environment)
    #expect(plan.status == 0, "\(plan)")
    let applied = try await project.run(
      ["apply", "p.json", "--skip-drifted"], environment: environment)
    #expect(applied.status == 0, "\(applied)")
    #expect(applied.stdout.contains(": 220 done (run "), "\(applied)")
    #expect(!applied.output.contains("skipped"), "\(applied)")
    #expect(
      try await having("calm", on: servers.a, FleetServers.allA).count == FleetServers.countA)
    #expect(
      try await having("calm", on: servers.b, FleetServers.allB).count == FleetServers.countB)

    let one = try await project.run(
      ["plan", "calm:add", "-e", "single", "--out", "one.json"], environment: environment)
    #expect(one.status == 0, "\(one)")
    #expect(try saved(project, "one.json").fleet == nil)
    let single = try await project.run(
      ["apply", "one.json", "--skip-drifted"], environment: environment)
    #expect(single.status == 2, "\(single)")
    #expect(
      single.stderr.hasPrefix(
        "error: --skip-drifted applies to a saved fleet plan, and `one.json` is the plan of one database\n"
      ), "\(single)")
    // A plan of one database reads as before: no `fleet` key in its JSON.
    let text = try String(contentsOfFile: project.path + "/one.json", encoding: .utf8)
    #expect(!text.contains("\"fleet\""))
  }

  @Test(
    "hostile: a changed file refuses the whole fleet plan even with --skip-drifted; a protected fleet asks consent once, refused without a terminal"
  )
  func changedFileAndConsent() async throws {
    let project = try project(
      "  wipe:notes: { sql: wipe.sql }",
      files: ["wipe.sql": "drop table if exists wiped_notes;\n"], protected: true)
    defer { project.remove() }
    let plan = try await project.run(
      ["plan", "wipe:notes", "-e", "tenants", "--out", "p.json"], environment: environment)
    #expect(plan.status == 0, "\(plan)")
    let refused = try await project.run(["apply", "p.json"], environment: environment)
    #expect(refused.status == 3, "\(refused)")
    #expect(refused.stderr.contains("--yes"), "\(refused)")
    #expect(!refused.stdout.contains("done"), "\(refused)")
    let consented = try await project.run(["apply", "p.json", "--yes"], environment: environment)
    #expect(consented.status == 0, "\(consented)")
    #expect(consented.stdout.contains(": 220 done (run "), "\(consented)")

    try project.write("wipe.sql", "drop table if exists wiped_notes cascade;\n")
    let changed = try await project.run(
      ["apply", "p.json", "--skip-drifted", "--yes"], environment: environment)
    #expect(changed.status == 3, "\(changed)")
    #expect(
      changed.stderr.hasPrefix(
        "error: refused: `p.json` no longer matches the project (1 change); nothing was run\n = file wipe.sql changed (sha256 "
      ), "\(changed)")
  }

  @Test(
    "hostile: a target dropped between plan and apply is named as gone and nothing runs; --skip-drifted runs the rest"
  )
  func droppedTarget() async throws {
    let project = try project(
      "  gone:add: { sql: gone.sql }", files: ["gone.sql": "create table gone_t (id int);\n"])
    defer { project.remove() }
    let plan = try await project.run(
      ["plan", "gone:add", "-e", "tenants", "--out", "p.json"], environment: environment)
    #expect(plan.status == 0, "\(plan)")
    _ = try await servers.b.query("drop database fb_100")
    let refused = try await project.run(["apply", "p.json"], environment: environment)
    #expect(refused.status == 3, "\(refused)")
    #expect(
      refused.stderr.hasPrefix(
        """
        error: refused: 1 of the 220 targets planned in `p.json` drifted since the plan; nothing was run
         = \(label(servers.b, "fb_100")): gone from the fleet since the plan

        """), "\(refused)")
    #expect(try await having("gone_t", on: servers.a, FleetServers.allA).isEmpty)
    let skipping = try await project.run(
      ["apply", "p.json", "--skip-drifted"], environment: environment)
    #expect(skipping.status == 0, "\(skipping)")
    #expect(skipping.stdout.contains(": 219 done (run "), "\(skipping)")
    #expect(
      skipping.stdout.hasSuffix(
        "skipped 1 drifted target (--skip-drifted): \(label(servers.b, "fb_100"))\n"), "\(skipping)"
    )
    #expect(
      try await having("gone_t", on: servers.b, FleetServers.allB.filter { $0 != "fb_100" }).count
        == FleetServers.countB - 1)
    // Back for the suite's other tests.
    _ = try await servers.b.query("create database fb_100 template tmpl")
  }
}
