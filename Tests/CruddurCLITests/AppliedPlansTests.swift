import CruddurCore
import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// Every applied plan remembered on the target, by the SHA-256 of the file as written:
  /// a destructive plan applied once stays applied whatever ran after it, and a plan file
  /// edited by hand (even only by an added field) is never applied.
  @Suite struct AppliedPlansTests {
    typealias P = ProductionSafetyTests

    static func project(_ database: String) async throws -> TemporaryProject {
      try await P.prepare(database)
      let project = try P.project(database: database)
      try project.write("tasks/u.yml", "tasks:\n  empty: { query: truncate public.notes }\n")
      return project
    }

    @Test(
      "plan A, plan B, plan A again: the second A is refused without --again; each apply recorded with digest, user and host"
    )
    func planABA() async throws {
      let database = TestCluster.uniqueDatabaseName("aba")
      let project = try await Self.project(database)
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      #expect(
        try await project.run(["plan", "wipe", "-e", "prod", "--out", "a.json"], environment: env)
          .status == 0)
      #expect(
        try await project.run(["plan", "empty", "-e", "prod", "--out", "b.json"], environment: env)
          .status == 0)
      let a = try #require(FileManager.default.contents(atPath: project.path + "/a.json"))
      let b = try #require(FileManager.default.contents(atPath: project.path + "/b.json"))
      #expect(try await project.run(["apply", "a.json", "--yes"], environment: env).status == 0)
      #expect(try await project.run(["apply", "b.json", "--yes"], environment: env).status == 0)
      _ = try await DatabaseTests.cluster.value(
        "insert into public.notes (body) values ('kept')", database: database)
      try await project.expect(
        ["apply", "a.json", "--yes"], environment: env,
        stderr: """
          error: refused: `a.json` (sha256 \(SavedPlan.sha256(of: a).prefix(12))…) was already applied to prod; nothing was run
           = help: pass --again to apply this destructive plan once more

          """, status: 3)
      #expect(try await P.count(database) == "1", "A did not run a second time")
      let rows = try await DatabaseTests.cluster.query(
        "select digest, applied_by, environment, file from cruddur.applied_plans order by applied_at",
        database: database)
      let by = "\(NSUserName())@\(ProcessInfo.processInfo.hostName)"
      #expect(
        rows == [
          [SavedPlan.sha256(of: a), by, "prod", "a.json"],
          [SavedPlan.sha256(of: b), by, "prod", "b.json"],
        ])
      #expect(
        try await project.run(["apply", "a.json", "--yes", "--again"], environment: env).status == 0
      )
      #expect(try await P.count(database) == "0")
      #expect(
        try await DatabaseTests.cluster.value(
          "select count(*) from cruddur.applied_plans", database: database) == "3",
        "--again is recorded too")
    }

    @Test(
      "a field added by hand, or the file reformatted, is refused (exit 3) naming the field; nothing run"
    )
    func handAddedField() async throws {
      let database = TestCluster.uniqueDatabaseName("field")
      let project = try await Self.project(database)
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      #expect(
        try await project.run(["plan", "wipe", "-e", "prod", "--out", "a.json"], environment: env)
          .status == 0)
      let text = try String(contentsOfFile: project.path + "/a.json", encoding: .utf8)
      try project.write(
        "added.json",
        text.replacingOccurrences(
          of: "\"executor\" : \"query\",",
          with: "\"executor\" : \"query\",\n        \"unless\" : \"true\","))
      try await project.expect(
        ["apply", "added.json", "--yes"], environment: env,
        stderr: """
          error: `added.json` has a field cruddur did not write: `plan.steps[0].unless`; nothing was run
           = help: a saved plan is applied exactly as `cruddur plan --out` wrote it; plan again instead of editing it

          """, status: 3)
      try project.write("compact.json", text.replacingOccurrences(of: "\n", with: ""))
      try await project.expect(
        ["apply", "compact.json", "--yes"], environment: env,
        stderr: """
          error: `compact.json` is not byte for byte as `cruddur plan --out` wrote it; nothing was run
           = help: its SHA-256 is the plan's identity on the target; plan again instead of editing or reformatting it

          """, status: 3)
      #expect(try await P.count(database) == "2")
      #expect(try await project.run(["apply", "a.json", "--yes"], environment: env).status == 0)
      #expect(try await P.count(database) == "0")
    }
  }
}
