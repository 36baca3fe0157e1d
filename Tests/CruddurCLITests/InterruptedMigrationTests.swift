import CruddurCore
import CruddurPostgres
import CruddurTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

extension DatabaseTests {
  /// A `transaction:false` migration killed midway (SIGKILL: no handler runs) is marked:
  /// the next run refuses to send it again from the top, says which statements committed
  /// and which was running, and goes on only when told how: `RESUME_FROM` or `MARK_APPLIED`.
  @Suite struct InterruptedMigrationTests {
    typealias M = MigrateTests

    static let file = "20261201130000_index.sql"
    static let text = """
      -- migrate:up transaction:false
      create table public.big (id int);
      create index concurrently big_id on public.big (id);
      select pg_advisory_lock(4345) as interrupted_here;
      create table public.after_gate (id int);
      -- migrate:down
      drop table public.after_gate;
      drop table public.big;

      """

    /// Runs `db:migrate` until it waits at statement 3 (on an advisory lock the test holds),
    /// kills it, and ends its server session (which would otherwise wait on for the lock).
    static func interrupt() async throws -> (TemporaryProject, String, [String: String]) {
      let (project, database, env) = try await M.project([
        "20261201120000_create_notes.sql": M.first, file: text,
      ])
      let cluster = DatabaseTests.cluster
      let gate = try await Connection.connect(
        try ConnInfo(parsing: ConnectionURL(cluster.url(database: database))))
      _ = try await gate.execute("select pg_advisory_lock(4345)", parameters: [])
      let run = try RunningCruddur.start(["db:migrate"], in: project.path, environment: env)
      let waiting = """
        select count(*) from pg_stat_activity where query like '%as interrupted_here%' and wait_event_type = 'Lock'
          and datname = '\(database)'
        """
      #expect(try await eventually { try await cluster.value(waiting) == "1" }, "\(run.output)")
      kill(run.pid, SIGKILL)
      #expect(await run.wait() != 0)
      _ = try await cluster.value(
        "select pg_terminate_backend(pid) from pg_stat_activity where query like '%as interrupted_here%' and datname = '\(database)'"
      )
      #expect(
        try await eventually {
          try await cluster.value(
            "select count(*) from pg_stat_activity where query like '%as interrupted_here%' and datname = '\(database)'"
          ) == "0"
        })
      await gate.close()
      return (project, database, env)
    }

    @Test(
      "SIGKILL mid-migration: the rerun refuses (exit 3) saying what ran; RESUME_FROM continues from the statement that was running, recorded"
    )
    func killedThenResumed() async throws {
      let (project, database, env) = try await Self.interrupt()
      defer { project.remove() }
      let path = "db/migrations/\(Self.file)"
      let refused = try await project.run(["db:migrate"], environment: env)
      #expect(refused.status == 3, "\(refused)")
      for part in [
        "error: refused: \(path) was interrupted (started ",
        "2 of 4 statements committed; nothing was run",
        " = last committed: statement 2 (\(path):3): create index concurrently big_id on public.big (id)",
        " = was running when it stopped, and may or may not have taken effect: statement 3 (\(path):4): select pg_advisory_lock(4345) as interrupted_here",
        "`--set RESUME_FROM=3`", "`--set MARK_APPLIED=20261201130000`",
      ] {
        #expect(refused.stderr.contains(part), "\(part)\n\(refused)")
      }
      #expect(try await M.tableExists("public.big", database), "statements 1 and 2 committed")
      #expect(try await !M.tableExists("public.after_gate", database), "nothing resent")
      #expect(try await M.applied(database) == ["20261201120000"])

      let resumed = try await project.run(
        ["db:migrate", "--set", "RESUME_FROM=3"], environment: env)
      #expect(
        resumed.status == 0 && resumed.stdout.contains("applied \(Self.file) in "), "\(resumed)")
      #expect(try await M.tableExists("public.after_gate", database))
      #expect(
        try await DatabaseTests.cluster.value(
          "select applied_by from cruddur.migrations where version = '20261201130000'",
          database: database)
          == "\(NSUserName())@\(ProcessInfo.processInfo.hostName) (resumed from statement 3)")
      #expect(
        try await DatabaseTests.cluster.value(
          "select state || ' ' || statements_done || '/' || statements_total from cruddur.migration_progress",
          database: database) == "done 4/4")
      let again = try await project.run(["db:migrate"], environment: env)
      #expect(again.stdout.contains("nothing to migrate: 2 applied, none pending"), "\(again)")
    }

    @Test(
      "after SIGKILL, MARK_APPLIED records it without running anything; RESUME_FROM with nothing interrupted is an error"
    )
    func killedThenMarkedApplied() async throws {
      let (project, database, env) = try await Self.interrupt()
      defer { project.remove() }
      let marked = try await project.run(
        ["db:migrate", "--set", "MARK_APPLIED=20261201130000"], environment: env)
      #expect(
        marked.status == 0
          && marked.stdout.contains("marked \(Self.file) applied without running it (MARK_APPLIED)"),
        "\(marked)")
      #expect(try await !M.tableExists("public.after_gate", database), "nothing ran")
      #expect(
        try await DatabaseTests.cluster.value(
          "select applied_by from cruddur.migrations where version = '20261201130000'",
          database: database)
          == "\(NSUserName())@\(ProcessInfo.processInfo.hostName) (marked applied)")
      try project.write(
        "db/migrations/20261201140000_more.sql",
        "-- migrate:up\ncreate table public.more (id int);\n")
      let stray = try await project.run(["db:migrate", "--set", "RESUME_FROM=2"], environment: env)
      #expect(stray.status == 2, "\(stray)")
      #expect(
        stray.stderr.contains(
          "RESUME_FROM=2: no pending migration was interrupted; nothing was run"), "\(stray)")
      #expect(try await !M.tableExists("public.more", database))
    }
  }
}
