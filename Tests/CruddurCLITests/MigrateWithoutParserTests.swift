import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// Every deploy runs `db:migrate`, mostly with nothing pending. On an unprotected
  /// environment such a run neither shows a plan nor asks consent, so it must not pay for
  /// PostgreSQL's grammar (lock lines, judging): the parser library is not even loaded.
  /// `plan`, `--dry-run` and a protected environment still read every lock.
  @Suite struct MigrateWithoutParserTests {
    /// Whether the dynamic loader opened libpg_query during the command (LD_DEBUG=files
    /// names every object it loads, on stderr).
    static func loadsParser(_ result: CruddurBinary.Result) -> Bool {
      result.stderr.contains("libpg_query")
    }

    @Test("a plain run loads no parser; plan, --dry-run and a protected environment do, and show the locks")
    func parserOnlyWhereShownOrJudged() async throws {
      let database = TestCluster.uniqueDatabaseName("mwp")
      _ = try await DatabaseTests.cluster.value("create database \(database)")
      // A table that exists before the migration: locks on one it creates are not shown.
      _ = try await DatabaseTests.cluster.value("create table public.notes (id int)", database: database)
      let project = try TemporaryProject(files: [
        "cruddur.yml": """
        version: 1
        environments:
          local: { default: true, url: "${TEST_URL}" }
          prod: { protected: true, url: "${TEST_URL}", lock_timeout: 0 }
        tasks:
          db:migrate: { migrate: db/migrations, dump: false }
        """,
        "db/migrations/20261201120000_notes.sql":
          "-- migrate:up\nalter table public.notes add column body text;\n-- migrate:down\nalter table public.notes drop column body;\n",
      ])
      defer { project.remove() }
      var env = DatabaseTests.environment(database: database)
      env["LD_DEBUG"] = "files"
      let plan = try await project.run(["plan", "db:migrate"], environment: env)
      #expect(plan.status == 0 && Self.loadsParser(plan), "\(plan)")
      #expect(plan.stdout.contains("public.notes ACCESS EXCLUSIVE"), "\(plan)")
      let dryRun = try await project.run(["db:migrate", "--dry-run"], environment: env)
      #expect(dryRun.status == 0 && Self.loadsParser(dryRun), "\(dryRun)")
      #expect(dryRun.stdout.contains("public.notes ACCESS EXCLUSIVE"), "\(dryRun)")

      let applying = try await project.run(["db:migrate"], environment: env)
      #expect(applying.status == 0, "\(applying)")
      #expect(!Self.loadsParser(applying), "a plain run loaded the parser: \(applying.stderr.suffix(2000))")
      let noop = try await project.run(["db:migrate"], environment: env)
      #expect(noop.status == 0 && noop.stdout.contains("nothing to migrate: 1 applied, none pending"), "\(noop)")
      #expect(!Self.loadsParser(noop), "\(noop.stderr.suffix(2000))")
      #expect(
        try await DatabaseTests.cluster.value(
          "select count(*) from information_schema.columns where table_name = 'notes'", database: database) == "2")

      // Protected: statements are judged and locks read for consent, as before.
      let protected = try await project.run(["db:migrate", "-e", "prod", "--yes"], environment: env)
      #expect(protected.status == 0 && Self.loadsParser(protected), "\(protected)")
    }
  }
}
