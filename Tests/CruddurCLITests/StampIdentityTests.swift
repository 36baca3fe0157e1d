import CruddurCore
import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// Stamps that know their database: a database restored or renamed since it was stamped
  /// belongs to no known environment until `cruddur stamp` says which.
  @Suite struct StampIdentityTests {
    @Test(
      "a stamped database renamed to production's name is refused from both environments; cruddur stamp (consent-guarded, recorded) settles it"
    )
    func restoredAndRenamed() async throws {
      let cluster = DatabaseTests.cluster
      let local = TestCluster.uniqueDatabaseName("rrl")
      let prod = TestCluster.uniqueDatabaseName("rrp")
      let project = try TemporaryProject(files: [
        "cruddur.yml": """
        version: 1
        environments:
          local: { default: true, url: "${LOCAL_URL}" }
          prod: { protected: true, url: "${PROD_URL}" }
        include: [tasks/*.yml]
        """,
        "tasks/t.yml":
          "tasks:\n  make: { database: create }\n  wipe: { query: delete from public.notes }\n",
      ])
      defer { project.remove() }
      var env = [
        "LOCAL_URL": cluster.url(database: local), "PROD_URL": cluster.url(database: prod),
      ]
      #expect(try await project.run(["make"], environment: env).status == 0)
      _ = try await cluster.value("create table public.notes (body text)", database: local)
      _ = try await cluster.value("insert into public.notes values ('kept')", database: local)
      // What a restore under production's name does to the stamp: it travels along.
      _ = try await cluster.value("alter database \(local) rename to \(prod)")
      let fromProd = try await project.run(["wipe", "-e", "prod", "--yes"], environment: env)
      #expect(fromProd.status == 3, "\(fromProd)")
      #expect(
        fromProd.stderr.contains(
          "error: refused: database \"\(prod)\" carries a stamp for `local` made on database \"\(local)\" (restored, renamed or copied since), so it belongs to no known environment; nothing was run"
        ), "\(fromProd)")
      #expect(fromProd.stderr.contains("`cruddur stamp -e prod` (asks for consent)"), "\(fromProd)")
      env["LOCAL_URL"] = cluster.url(database: prod)
      let fromLocal = try await project.run(["wipe"], environment: env)
      #expect(
        fromLocal.status == 3
          && fromLocal.stderr.contains("carries a stamp for `local` made on database"),
        "\(fromLocal)")
      #expect(
        try await cluster.value("select count(*) from public.notes", database: prod) == "1",
        "nothing deleted")

      let unconsented = try await project.run(["stamp", "-e", "prod"], environment: env)
      #expect(unconsented.status == 3, "\(unconsented)")
      let stamped = try await project.run(["stamp", "-e", "prod", "--yes"], environment: env)
      #expect(
        stamped.status == 0
          && stamped.stdout
            == "stamped the database of prod as prod's; it was stamped for `local` on database \"\(local)\"\n",
        "\(stamped)")
      let recorded = try await cluster.value(
        """
        select string_agg(c, ' | ' order by c) from pg_db_role_setting s join pg_database d on d.oid = s.setdatabase,
          unnest(s.setconfig) c where d.datname = '\(prod)'
        """)
      #expect(recorded?.contains("cruddur.environment=prod;system=") == true, "\(recorded ?? "")")
      #expect(recorded?.contains(";database=\(prod)") == true, "\(recorded ?? "")")
      #expect(
        recorded?.contains("cruddur.stamped_by=\(NSUserName())@") == true, "\(recorded ?? "")")
      #expect(recorded?.contains(" by cruddur stamp") == true, "\(recorded ?? "")")
      let fromLocalAfter = try await project.run(["wipe"], environment: env)
      #expect(
        fromLocalAfter.status == 3
          && fromLocalAfter.stderr.contains("belongs to environment `prod`"), "\(fromLocalAfter)")
      #expect(try await project.run(["wipe", "-e", "prod", "--yes"], environment: env).status == 0)
      #expect(try await cluster.value("select count(*) from public.notes", database: prod) == "0")
    }

    @Test(
      "database: create on an existing database without a stamp offers `cruddur stamp`; one it stamped says nothing more"
    )
    func createOffersStamp() async throws {
      let cluster = DatabaseTests.cluster
      let database = TestCluster.uniqueDatabaseName("unst")
      _ = try await cluster.value("create database \(database)")
      let project = try TemporaryProject(files: [
        "cruddur.yml":
          "version: 1\nenvironments:\n  prod: { default: true, url: \"${PROD_URL}\" }\n",
        "tasks.yml": "",
      ])
      defer { project.remove() }
      try project.write(
        "cruddur.yml",
        "version: 1\nenvironments:\n  prod: { default: true, url: \"${PROD_URL}\" }\ntasks:\n  make: { database: create }\n"
      )
      let env = ["PROD_URL": cluster.url(database: database)]
      let offered = try await project.run(["make"], environment: env)
      #expect(
        offered.status == 0
          && offered.stdout.contains(
            "database \"\(database)\" already exists and has no stamp: `cruddur stamp -e prod` marks it as prod's"
          ),
        "\(offered)")
      #expect(try await project.run(["stamp", "--yes"], environment: env).status == 0)
      let after = try await project.run(["make"], environment: env)
      #expect(after.stdout.contains("database \"\(database)\" already exists\n"), "\(after)")
    }
  }
}
