import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// A plain run on an unprotected environment shows no plan, so planning hands the step
  /// what it read (or leaves the reading to the run): each SQL file and each migration file
  /// is opened once per run, by the pass that loads it, not once to plan and again to run.
  /// Counted with strace on the real binary: every `openat` of the file that succeeded.
  @Suite struct OpenOnceTests {
    static let files = [
      "db/seed.sql", "db/migrations/20261201120000_notes.sql",
      "db/migrations/20261201120100_tags.sql",
    ]

    static func project() throws -> TemporaryProject {
      try TemporaryProject(files: [
        "cruddur.yml": """
        version: 1
        environments:
          local: { default: true, url: "${TEST_URL}" }
        tasks:
          db:migrate: { migrate: db/migrations, dump: false }
          db:seed: { sql: db/seed.sql, deps: [db:migrate] }
        """,
        "db/migrations/20261201120000_notes.sql":
          "-- migrate:up\ncreate table notes (id int);\n-- migrate:down\ndrop table notes;\n",
        "db/migrations/20261201120100_tags.sql":
          "-- migrate:up\ncreate table tags (id int);\n-- migrate:down\ndrop table tags;\n",
        "db/seed.sql": "insert into notes values (1);\ninsert into tags values (2);\n",
      ])
    }

    /// Runs `cruddur ARGS` under `strace -f -e trace=openat` and counts, for each of
    /// `files`, the opens of it that succeeded (any process of the run).
    static func opens(
      _ arguments: [String], in project: TemporaryProject, environment: [String: String]
    ) async throws -> (result: CruddurBinary.Result, counts: [String: Int]) {
      let trace = project.path + "/openat.trace"
      defer { try? FileManager.default.removeItem(atPath: trace) }
      let result = try await CruddurBinary.runProgram(
        "/usr/bin/strace",
        ["-f", "-qq", "-e", "trace=openat", "-o", trace, CruddurBinary.path] + arguments,
        in: project.path, environment: environment)
      let lines = (try String(contentsOfFile: trace, encoding: .utf8)).split(separator: "\n")
      var counts: [String: Int] = [:]
      for file in files {
        let quoted = "/\(file)\""
        counts[file] = lines.filter { $0.contains(quoted) && !$0.contains(" = -1 ") }.count
      }
      return (result, counts)
    }

    @Test("a plain run opens each SQL and migration file once; a dry run reads them too")
    func eachFileOpenedOnce() async throws {
      let database = TestCluster.uniqueDatabaseName("open1")
      _ = try await DatabaseTests.cluster.value("create database \(database)")
      let project = try Self.project()
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      let migrations = Array(Self.files.dropFirst())

      // Hostile twin: the count sees the files at all (a dry run reads each to show its
      // digest), so "once" below is not a path that never matched.
      let dryRun = try await Self.opens(
        ["db:migrate", "db:seed", "--dry-run"], in: project, environment: env)
      #expect(dryRun.result.status == 0, "\(dryRun.result)")
      for file in Self.files {
        #expect(dryRun.counts[file, default: 0] >= 1, "\(file): \(dryRun.counts)")
      }

      let applying = try await Self.opens(["db:migrate", "db:seed"], in: project, environment: env)
      #expect(applying.result.status == 0, "\(applying.result)")
      #expect(
        applying.counts == Dictionary(uniqueKeysWithValues: Self.files.map { ($0, 1) }),
        "\(applying.result)")

      let noop = try await Self.opens(["db:migrate"], in: project, environment: env)
      #expect(
        noop.result.stdout.contains("nothing to migrate: 2 applied, none pending"), "\(noop.result)"
      )
      #expect(
        noop.counts.filter { migrations.contains($0.key) }
          == Dictionary(uniqueKeysWithValues: migrations.map { ($0, 1) }))
      #expect(
        try await DatabaseTests.cluster.value("select count(*) from notes", database: database)
          == "1")
    }
  }
}
