import CruddurCore
import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// A saved plan stores each step's `Prepared` value as typed JSON; `apply` reads it with
  /// the step's executor, field for field, compares it as a value with the one made now,
  /// and runs it. A payload edited by hand (its document digest made again, so only the
  /// payload tells) is refused naming the step and the field; a plan of the format before
  /// payloads is refused as an older cruddur's.
  @Suite struct SavedPlanPayloadTests {
    static func project() throws -> TemporaryProject {
      try TemporaryProject(files: [
        "cruddur.yml": """
        version: 1
        environments:
          local: { default: true, url: "${TEST_URL}" }
        tasks:
          db:seed: { sql: db/seed.sql }
        """,
        "db/seed.sql": "create table seeded (id int);\ninsert into seeded values (1);\n",
      ])
    }

    static func saved(_ project: TemporaryProject, _ name: String) throws -> SavedPlan {
      try SavedPlan.decode(
        try Data(contentsOf: URL(fileURLWithPath: project.path + "/" + name)), path: name)
    }

    /// `document` with its first step's payload changed by `edit`, its digest made again.
    static func write(
      _ project: TemporaryProject, _ name: String, _ document: SavedPlan,
      _ edit: (inout PreparedPayload) -> Void
    ) throws {
      var document = document
      edit(&document.prepared[0])
      document.digest = document.identity()
      try project.write(name, try document.encoded())
    }

    static func setting(_ tree: JSONTree, _ path: [String], to value: JSONTree?) -> JSONTree {
      guard case .object(var object) = tree, let key = path.first else { return value ?? .null }
      if path.count == 1 {
        object[key] = value
      } else {
        object[key] = setting(object[key] ?? .object([:]), Array(path.dropFirst()), to: value)
      }
      return .object(object)
    }

    @Test(
      "apply runs the saved typed payload; hostile: a digest, a type, a key or a value edited is refused by name"
    )
    func payloadReadFieldForField() async throws {
      let database = TestCluster.uniqueDatabaseName("payload")
      _ = try await DatabaseTests.cluster.value("create database \(database)")
      let project = try Self.project()
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      let plan = try await project.run(["plan", "db:seed", "--out", "p.json"], environment: env)
      #expect(plan.status == 0, "\(plan)")
      let document = try Self.saved(project, "p.json")
      #expect(document.version == 2 && document.prepared.map(\.executor) == ["sql"])
      guard case .object(let value) = document.prepared[0].value,
        case .object(let contents)? = value["contents"],
        case .string(let digest)? = contents["sha256"]
      else {
        Issue.record("no contents.sha256 in \(document.prepared)")
        return
      }
      #expect(digest == document.plan.steps[0].description.files[0].sha256)

      try Self.write(project, "digest.json", document) {
        $0.value = Self.setting(
          $0.value, ["contents", "sha256"], to: .string(String(repeating: "0", count: 64)))
      }
      try await project.expect(
        ["apply", "digest.json"], environment: env,
        stderr: """
          error: `digest.json` step 1 (db:seed): its prepared value pins db/seed.sql (sha256 000000000000…); the plan shows db/seed.sql (sha256 \(digest.prefix(12))…); nothing was run
           = help: a saved plan is applied exactly as `cruddur plan --out` wrote it; plan again instead of editing it

          """, status: 3)

      try Self.write(project, "type.json", document) { $0.executor = "query" }
      try await project.expect(
        ["apply", "type.json"], environment: env,
        stderr: """
          error: `type.json` step 1 (db:seed): its prepared value is of a `query` step; the plan shows a `sql` step; nothing was run
           = help: a saved plan is applied exactly as `cruddur plan --out` wrote it; plan again instead of editing it

          """, status: 3)

      try Self.write(project, "key.json", document) {
        $0.value = Self.setting($0.value, ["contents", "skipChecks"], to: .bool(true))
      }
      try await project.expect(
        ["apply", "key.json"], environment: env,
        stderr: """
          error: `key.json` step 1 (db:seed): its prepared value has `contents.skip_checks`, which a `sql` step does not write; nothing was run
           = help: a saved plan is applied exactly as `cruddur plan --out` wrote it; plan again instead of editing it

          """, status: 3)

      try Self.write(project, "value.json", document) {
        $0.value = Self.setting($0.value, ["inTransaction"], to: .string("no"))
      }
      try await project.expect(
        ["apply", "value.json"], environment: env,
        stderr: """
          error: `value.json` step 1 (db:seed): its prepared value does not read as a `sql` step: `in_transaction` is not of its type; nothing was run
           = help: a saved plan is applied exactly as `cruddur plan --out` wrote it; plan again instead of editing it

          """, status: 3)
      #expect(
        try await DatabaseTests.cluster.value(
          "select count(*) from pg_tables where tablename = 'seeded'", database: database)
          == "0", "no edited plan ran")

      let applied = try await project.run(["apply", "p.json"], environment: env)
      #expect(applied.status == 0, "\(applied)")
      #expect(
        try await DatabaseTests.cluster.value("select count(*) from seeded", database: database)
          == "1")
    }

    @Test(
      "a plan saved before typed payloads (version 1) is refused as an older cruddur's; hostile: a newer one is not"
    )
    func olderFormatRefused() async throws {
      let project = try Self.project()
      defer { project.remove() }
      let env = DatabaseTests.environment(database: TestCluster.uniqueDatabaseName("payloadold"))
      let plan = try await project.run(["plan", "db:seed", "--out", "p.json"], environment: env)
      #expect(plan.status == 0, "\(plan)")
      var object = try #require(
        try JSONSerialization.jsonObject(
          with: Data(contentsOf: URL(fileURLWithPath: project.path + "/p.json")))
          as? [String: Any])
      object["version"] = 1
      object["prepared"] = nil
      try project.write(
        "old.json",
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
      try await project.expect(
        ["apply", "old.json"], environment: env,
        stderr: """
          error: `old.json` was saved by an older cruddur (plan version 1); nothing was run
           = help: plan again with this cruddur: `cruddur plan TASK --out old.json`

          """, status: 3)
      object["version"] = 3
      try project.write(
        "new.json",
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
      let newer = try await project.run(["apply", "new.json"], environment: env)
      #expect(
        newer.status == 2
          && newer.stderr.contains("this cruddur reads format `cruddur-plan` version 2"), "\(newer)"
      )
    }
  }
}
