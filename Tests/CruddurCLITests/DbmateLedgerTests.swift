import CruddurCore
import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// One truth for two ledgers: the real dbmate and cruddur take turns on one database and
  /// neither applies a migration twice nor keeps one the other rolled back; dbmate's table
  /// is found where dbmate puts it (the URL's `search_path`, `migrations_table:`).
  @Suite struct DbmateLedgerTests {
    typealias M = MigrateTests

    /// Non-idempotent migrations: running one twice fails with "already exists".
    static let files = [
      "20261201120000_create_notes.sql": M.first, "20261201130000_add_author.sql": M.second,
      "20261201140000_tags.sql":
        "-- migrate:up\ncreate table public.tags (id int);\n-- migrate:down\ndrop table public.tags;\n",
    ]

    static func dbmateVersions(_ database: String, table: String = "public.schema_migrations")
      async throws -> [String]
    {
      try await DatabaseTests.cluster.query(
        "select version from \(table) order by version", database: database
      )
      .compactMap { $0[0] }
    }

    @Test(
      "mixed use both ways: dbmate, cruddur, dbmate, cruddur; each migration applied once, rollbacks by dbmate undone in cruddur's ledger"
    )
    func mixedBothWays() async throws {
      let (project, database, env) = try await M.project([
        "20261201120000_create_notes.sql": M.first
      ])
      defer { project.remove() }
      let url = Dbmate.url(DatabaseTests.cluster, database: database)
      let dir = project.path + "/db/migrations"
      let first = try await Dbmate.run(["up"], url: url, migrationsDirectory: dir, in: project.path)
      #expect(first.status == 0, "\(first)")
      try project.write("db/migrations/20261201130000_add_author.sql", M.second)
      #expect(try await project.run(["db:migrate"], environment: env).status == 0)
      // dbmate applies the third; cruddur must adopt it, not run it again.
      try project.write(
        "db/migrations/20261201140000_tags.sql", Self.files["20261201140000_tags.sql"]!)
      let third = try await Dbmate.run(["up"], url: url, migrationsDirectory: dir, in: project.path)
      #expect(third.status == 0, "\(third)")
      #expect(
        third.stdout.contains("Applying: 20261201140000_tags.sql")
          && !third.stdout.contains("add_author"), "\(third)")
      try await project.expect(
        ["db:migrate"], environment: env,
        stdout: """
          cruddur db:migrate on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
          == db:migrate apply pending migrations of db/migrations (3 files)
          adopted 20261201140000_tags.sql: dbmate applied it since (public.schema_migrations)
          nothing to migrate: 3 applied, none pending
             done in <duration>
          ✓ 1 step done in <duration>

          """, normalizing: DatabaseTests.variable(database))
      #expect(
        try await M.applied(database) == ["20261201120000", "20261201130000", "20261201140000"])
      // dbmate rolls back the newest: cruddur's status and migrate see it as not applied.
      let rollback = try await Dbmate.run(
        ["rollback"], url: url, migrationsDirectory: dir, in: project.path)
      #expect(rollback.status == 0, "\(rollback)")
      let status = try await project.run(
        ["db:migrate:status", "--format", "csv"], environment: env)
      #expect(status.stdout.hasSuffix("20261201140000,tags,,pending\r\n"), "\(status)")
      try await project.expect(
        ["db:migrate"], environment: env,
        stdout: """
          cruddur db:migrate on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
          == db:migrate apply pending migrations of db/migrations (3 files)
          20261201140000_tags.sql: dbmate rolled it back since (public.schema_migrations); no longer recorded as applied
          applied 20261201140000_tags.sql in <duration>
          1 migration applied
             done in <duration>
          ✓ 1 step done in <duration>

          """, normalizing: DatabaseTests.variable(database))
      #expect(try await M.tableExists("public.tags", database))
      // And dbmate agrees: nothing left for it to do.
      let last = try await Dbmate.run(["up"], url: url, migrationsDirectory: dir, in: project.path)
      #expect(last.status == 0 && !last.stdout.contains("Applying"), "\(last)")
      #expect(try await Self.dbmateVersions(database) == M.applied(database))
    }

    @Test(
      "dbmate's table in the URL's search_path schema, and under migrations_table:, is the one adopted"
    )
    func searchPathAndMigrationsTable() async throws {
      let (project, database, _) = try await M.project(Self.files)
      defer { project.remove() }
      let url = Dbmate.url(
        DatabaseTests.cluster, database: database, query: "search_path=dbm,public")
      let dir = project.path + "/db/migrations"
      try FileManager.default.removeItem(atPath: dir + "/20261201140000_tags.sql")
      let up = try await Dbmate.run(["up"], url: url, migrationsDirectory: dir, in: project.path)
      #expect(up.status == 0, "\(up)")
      #expect(try await Self.dbmateVersions(database, table: "dbm.schema_migrations").count == 2)
      try project.write(
        "db/migrations/20261201140000_tags.sql", Self.files["20261201140000_tags.sql"]!)
      // The same URL as dbmate's: cruddur reads search_path as dbmate does.
      try await project.expect(
        ["db:migrate"], environment: ["TEST_URL": url],
        stdout: """
          cruddur db:migrate on local (postgresql://postgres:****@127.0.0.1:<port>/<db>?sslmode=disable&search_path=dbm,public), 1 step
          == db:migrate apply pending migrations of db/migrations (3 files)
          applied 20261201140000_tags.sql in <duration>
          1 migration applied
             done in <duration>
          ✓ 1 step done in <duration>

          """, normalizing: DatabaseTests.variable(database))
      #expect(try await Self.dbmateVersions(database, table: "dbm.schema_migrations").count == 3)

      // dbmate's --migrations-table, named in the task.
      let (other, second, env) = try await M.project(Self.files)
      defer { other.remove() }
      let plain = Dbmate.url(DatabaseTests.cluster, database: second)
      let otherDir = other.path + "/db/migrations"
      try FileManager.default.removeItem(atPath: otherDir + "/20261201140000_tags.sql")
      let custom = try await Dbmate.run(
        ["--migrations-table", "ops.dbmate_versions", "up"], url: plain,
        migrationsDirectory: otherDir, in: other.path)
      #expect(custom.status == 0, "\(custom)")
      try other.write(
        "db/migrations/20261201140000_tags.sql", Self.files["20261201140000_tags.sql"]!)
      try other.write(
        "tasks/db.yml",
        "tasks:\n  db:migrate: { migrate: ../db/migrations, dump: false, migrations_table: ops.dbmate_versions }\n"
      )
      let run = try await other.run(["db:migrate"], environment: env)
      #expect(
        run.status == 0 && run.stdout.contains("applied 20261201140000_tags.sql")
          && run.stdout.contains("1 migration applied"), "\(run)")
      #expect(try await Self.dbmateVersions(second, table: "ops.dbmate_versions").count == 3)
    }

    @Test(
      "ledgers no dbmate command explains are refused naming both tables' rows (exit 3), nothing run or written"
    )
    func disagreementRefused() async throws {
      let (project, database, env) = try await M.project(Self.files)
      defer { project.remove() }
      let url = Dbmate.url(DatabaseTests.cluster, database: database)
      let up = try await Dbmate.run(
        ["up"], url: url, migrationsDirectory: project.path + "/db/migrations", in: project.path)
      #expect(up.status == 0, "\(up)")
      #expect(try await project.run(["db:migrate"], environment: env).status == 0)
      // The middle one disappears from dbmate's table only: dbmate rolls back newest first.
      _ = try await DatabaseTests.cluster.value(
        "delete from public.schema_migrations where version = '20261201130000'", database: database)
      try await project.expect(
        ["db:migrate"], environment: env,
        stdout: """
          cruddur db:migrate on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
          == db:migrate apply pending migrations of db/migrations (3 files)
          ✗ run failed after <duration>: 0 done; failed: db:migrate

          """,
        stderr: """
          == db:migrate failed after <duration>
          error: refused: cruddur.migrations and dbmate's public.schema_migrations disagree; nothing was run
           = cruddur.migrations: 20261201120000, 20261201130000, 20261201140000
           = public.schema_migrations: 20261201120000, 20261201140000
           = recorded by cruddur only: 20261201130000; dbmate records a newer version, so dbmate did not roll it back
           = help: find out which is right, then make the two tables agree (insert the missing versions into public.schema_migrations, or delete them from cruddur.migrations)

          """, status: 3, normalizing: DatabaseTests.variable(database))
      #expect(try await M.applied(database).count == 3, "cruddur's ledger untouched")
      let status = try await project.run(["db:migrate:status"], environment: env)
      #expect(status.status == 3, "\(status)")
    }
  }
}
