import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// Destructive steps on a protected environment: refused without consent before the first
  /// step, allowed with --yes, or after the environment's name is typed on a real terminal.
  @Suite struct ProtectionTests {
    static func project() throws -> TemporaryProject {
      try DatabaseTests.dbProject(
        database: "unused",
        extraFiles: [
          "cruddur.yml": """
          version: 1
          environments:
            prod: { default: true, protected: true, url: "${TEST_URL}" }
          include: [tasks/*.yml]
          """
        ])
    }

    @Test("without a terminal and without --yes, nothing runs and the exit is 3")
    func refusedWithoutConsent() async throws {
      let database = TestCluster.uniqueDatabaseName("prot")
      let project = try Self.project()
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      #expect(try await project.run(["db:setup", "--yes"], environment: env).status == 0)
      // Seed rows exist; a refused setup must leave them.
      // No step started: stdout is empty.
      try await project.expect(["db:setup"], environment: env, stderr: """
        error: refused: prod is protected: steps 1 and 3 need consent (--yes or type 'prod'); nothing was run
         = 1. db:drop: drop database "<db>" if it exists, ending its sessions on postgres@127.0.0.1:<port>/postgres
         = 3. db:schema: run db/schema.sql in one transaction on postgres@127.0.0.1:<port>/<db>
         = help: pass --yes, or run it on a terminal and type 'prod'

        """, status: 3, normalizing: DatabaseTests.variable(database))
      #expect(try await DatabaseTests.cluster.value("select count(*) from public.users", database: database) == "2")
      // A non-destructive task needs no consent.
      #expect(try await project.run(["db:sessions"], environment: env).status == 0)
    }

    @Test("on a terminal, typing the environment's name runs it; anything else refuses")
    func typedConfirmation() async throws {
      let database = TestCluster.uniqueDatabaseName("pty")
      let project = try Self.project()
      defer { project.remove() }
      let url = DatabaseTests.cluster.url(database: database)
      let answer = RepositoryFiles.root + "/Tests/Fixtures/pty/answer.py"
      let wrong = try await CruddurBinary.runProgram(
        "/usr/bin/env", ["TEST_URL=\(url)", "python3", answer, "to continue", "production", CruddurBinary.path, "db:setup"],
        in: project.path)
      wrong.expect(stdout: """
        prod is protected: steps 1 and 3 need consent (--yes or type 'prod'). On postgresql://postgres:****@127.0.0.1:<port>/<db>:\r
          1. db:drop: drop database "<db>" if it exists, ending its sessions on postgres@127.0.0.1:<port>/postgres\r
          3. db:schema: run db/schema.sql in one transaction on postgres@127.0.0.1:<port>/<db>\r
        Type 'prod' to continue: production\r
        \u{1B}[1;31merror\u{1B}[0m: \u{1B}[1mnot confirmed: expected `prod`, nothing was run\u{1B}[0m\r

        """, status: 3, normalizing: DatabaseTests.variable(database))
      #expect(try await !DatabaseTests.cluster.databaseExists(database))

      let right = try await CruddurBinary.runProgram(
        "/usr/bin/env", ["TEST_URL=\(url)", "python3", answer, "to continue", "prod", CruddurBinary.path, "db:setup"],
        in: project.path)
      right.expect(stdout: """
        prod is protected: steps 1 and 3 need consent (--yes or type 'prod'). On postgresql://postgres:****@127.0.0.1:<port>/<db>:\r
          1. db:drop: drop database "<db>" if it exists, ending its sessions on postgres@127.0.0.1:<port>/postgres\r
          3. db:schema: run db/schema.sql in one transaction on postgres@127.0.0.1:<port>/<db>\r
        Type 'prod' to continue: prod\r
        \u{1B}[2mcruddur db:setup on prod\u{1B}[0m\u{1B}[2m (postgresql://postgres:****@127.0.0.1:<port>/<db>), 4 steps\u{1B}[0m\r
        \u{1B}[1;36m== db:drop\u{1B}[0m \u{1B}[2mdrop database "<db>" if it exists, ending its sessions\u{1B}[0m\r
        database "<db>" does not exist\r
        \u{1B}[2m   done in <duration>\u{1B}[0m\r
        \u{1B}[1;36m== db:create\u{1B}[0m \u{1B}[2mcreate database "<db>" if it does not exist\u{1B}[0m\r
        \u{1B}[2m   done in <duration>\u{1B}[0m\r
        \u{1B}[1;36m== db:schema\u{1B}[0m \u{1B}[2mrun db/schema.sql in one transaction\u{1B}[0m\r
        \u{1B}[2mNOTICE:  table "activities" does not exist, skipping\u{1B}[0m\r
        \u{1B}[2mNOTICE:  table "users" does not exist, skipping\u{1B}[0m\r
        \u{1B}[2m   done in <duration>\u{1B}[0m\r
        \u{1B}[1;36m== db:seed\u{1B}[0m \u{1B}[2mrun db/seed.sql in one transaction\u{1B}[0m\r
        \u{1B}[2m   done in <duration>\u{1B}[0m\r
        \u{1B}[32m✓ 4 steps done in <duration>\u{1B}[0m\r

        """, normalizing: DatabaseTests.variable(database))
      #expect(try await DatabaseTests.cluster.value("select count(*) from public.users", database: database) == "2")
    }
  }
}
