import CruddurProcess
import CruddurTestSupport
import Foundation

/// What `<!-- example: NAME -->` before a documentation block builds: the project the block
/// runs in, the environment pointing it at the test's own server, and the few named rewrites
/// for what differs from run to run. Each setup is written here, once, and says which README
/// text it reproduces; nothing is guessed from the block.
struct DocExampleSetup {
  var project: TemporaryProject
  var environment: [String: String] = [:]
  /// Applied to the block's text and to the output alike (a port, a pid, a duration).
  var substitutions: [OutputSubstitution] = []
  /// README text of a command → the text run (a port or password written in the command).
  var commandRewrites: [(String, String)] = []
  /// `-- TEXT` lines of the block → the shell commands that do it, in the project folder.
  var narrations: [String: String] = [:]
  /// Shell commands run, unseen, before the command at this 0-based index.
  var before: [Int: String] = [:]
  /// Shell commands run, unseen, after the whole block (a background holder released).
  var after: String = ""
  /// Shell commands run at the end even when the block failed (an embedded server stopped).
  var teardown: String = ""
  /// Run last of all (a moto_server stopped).
  var stop: @Sendable () -> Void = {}

  /// The project of this repository: cruddur.yml, tasks/ and db/ as they are committed.
  static func repositoryFiles() throws -> [String: String] {
    var files: [String: String] = [:]
    let root = RepositoryFiles.root
    for folder in ["tasks", "db"] {
      let enumerator = FileManager.default.enumerator(atPath: root + "/" + folder)
      while let relative = enumerator?.nextObject() as? String {
        var isDirectory: ObjCBool = false
        let path = folder + "/" + relative
        guard FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory),
          !isDirectory.boolValue, path != "db/structure.sql"
        else { continue }
        files[path] = try RepositoryFiles.read(path)
      }
    }
    files["cruddur.yml"] = try RepositoryFiles.read("cruddur.yml")
    return files
  }

  /// A fixture folder under Tests/Fixtures/docs/NAME, copied whole.
  static func fixtureFiles(_ name: String) throws -> [String: String] {
    var files: [String: String] = [:]
    let base = "Tests/Fixtures/docs/" + name
    let enumerator = FileManager.default.enumerator(atPath: RepositoryFiles.root + "/" + base)
    while let relative = enumerator?.nextObject() as? String {
      var isDirectory: ObjCBool = false
      guard
        FileManager.default.fileExists(
          atPath: RepositoryFiles.root + "/" + base + "/" + relative, isDirectory: &isDirectory),
        !isDirectory.boolValue
      else { continue }
      files[relative] = try RepositoryFiles.read(base + "/" + relative)
    }
    return files
  }

  /// Every port of a server on the loopback (`127.0.0.1:55432`, `localhost:5432`): the
  /// README's was chosen when it was written, the test's when the test starts.
  static let ports = OutputSubstitution.pattern(
    #"\b(127\.0\.0\.1|localhost):\d{2,5}\b"#, as: "$1:<port>")
  /// A process id cruddur names (`pid 1608`, the embedded server's or a lock holder's).
  static let pids = OutputSubstitution.pattern(#"\bpid \d+\b|"pid":\d+"#, as: "pid <pid>")
  /// The first 12 hex digits of a saved plan's digest: the plan holds the target's port.
  static let planDigests = OutputSubstitution.pattern(
    #"\.plan\.json` \(sha256 [0-9a-f]{12}…\)|\.plan\.json \(sha256 [0-9a-f]{12}…\)"#,
    as: ".plan.json (sha256 <plan>…)")
  /// dbmate's own durations (`in 108.023409ms`).
  static let dbmateDurations = OutputSubstitution.pattern(
    #"(?m)\bin \d+(\.\d+)?(ns|µs|ms|s)$"#, as: "in <duration>")
  /// Who started a migration (`by root@vm`).
  static let userAtHost = OutputSubstitution.pattern(
    #"by [^ @()]+@[^ )]+\)"#, as: "by <user>@<host>)")
  /// A fleet target's line and its time (`✓ 127.0.0.1:55431/tenant_01  83 ms`, and as listed
  /// among the slowest): which finish first, and which are slowest, is the servers' timing.
  static let fleetTargets = OutputSubstitution.pattern(
    #"(?m)^(✓ |  )127\.0\.0\.1:[^/ ]+/tenant_\d\d  \d+(\.\d+)? (ms|s)$"#,
    as: "$1<target>  <duration>")
  /// A run id cruddur made (`run 20261207-214502-7845a5`): the time it started.
  static let fleetRunIDs = OutputSubstitution.pattern(
    #"\brun \d{8}-\d{6}-[0-9a-f]{6}\b"#, as: "run <run id>")
  /// The host a lock holder ran on.
  static let hostName = OutputSubstitution.pattern(#"on host [^,]+,"#, as: "on host <host>,")

  /// The size of a database and of its dump (`(7671 kB)`, `(23186 bytes)`): they follow the
  /// server's page layout.
  static let dumpSizes = OutputSubstitution.pattern(#"\((\d+ kB|\d+ bytes)\)"#, as: "(<size>)")
  /// An EC2 security group and its rule, as moto_server names them.
  static let securityGroups = OutputSubstitution.pattern(
    #"\b(sg|sgr)-[0-9a-f]{17}\b"#, as: "$1-<id>")

  /// The version `cruddur new migration` gave the file `VERSION_NAME.sql` it made (the time it
  /// ran), as `<new version>`; the documented one is rewritten the same way.
  static func newVersion(in project: String, named name: String, documented: String)
    -> OutputSubstitution
  {
    OutputSubstitution("the version of `…_\(name).sql` → `<new version>`") { text in
      let files =
        (try? FileManager.default.contentsOfDirectory(atPath: project + "/db/migrations")) ?? []
      var text = text.replacingOccurrences(of: documented, with: "<new version>")
      for file in files where file.hasSuffix("_\(name).sql") {
        text = text.replacingOccurrences(of: String(file.prefix(14)), with: "<new version>")
      }
      return text
    }
  }

  /// Database NAME on the test's server as a block expects it: new (another block may have
  /// used the name), or absent when `create` is false.
  static func fresh(_ name: String, on cluster: TestCluster, create: Bool = true) async throws {
    _ = try await cluster.query("drop database if exists \(name) with (force)")
    if create { _ = try await cluster.query("create database \(name)") }
  }

  /// The base every setup shares: durations and ports rewritten on both sides.
  static let common: [OutputSubstitution] = [.durations, ports]

  /// This repository's project whose `local` is the embedded server of a fresh clone, started
  /// and given its database before the block (as the first run would have), stopped after.
  static func embedded(_ files: [String: String], before: String = "") throws -> DocExampleSetup {
    let project = try TemporaryProject(files: files)
    let port = try TestCluster.freePort()
    return DocExampleSetup(
      project: project,
      environment: ["CONNECTION_URL": "postgresql://postgres:password@localhost:\(port)/cruddur"],
      substitutions: common + [pids, .uuids, .timestamps, .jsonTimes, hostName],
      before: [
        0: "cruddur local start && cruddur db:create" + (before.isEmpty ? "" : " && " + before)
      ],
      teardown: "cruddur local stop")
  }

  /// A run of `hold`, in the background, that holds the run lock of `local` until the block
  /// ends: it has dropped and created the database, then waits on a FIFO.
  static let holdTasks = """
    tasks:
      hold:
        steps: [db:drop, db:create, hold:wait]
      hold:wait:
        shell: echo held > held.fifo && cat release.fifo
    """

  /// The setup NAME names, on `cluster`; nil for a name no setup has.
  static func named(_ name: String, cluster: TestCluster) async throws -> DocExampleSetup? {
    let password = TestCluster.password
    let server = "postgres:\(password)@127.0.0.1:\(cluster.port)"
    switch name {
    case "repository":
      // This repository's project, `local` and `prod` on the test's server.
      try await fresh("cruddur_prod", on: cluster, create: false)
      let project = try TemporaryProject(files: try repositoryFiles())
      return DocExampleSetup(
        project: project,
        environment: [
          "CONNECTION_URL": "postgresql://postgres:\(password)@localhost:\(cluster.port)/cruddur",
          "PROD_CONNECTION_URL": "postgresql://\(server)/cruddur_prod",
        ],
        substitutions: common + [planDigests, .jsonTimes],
        commandRewrites: [("postgres:pw@127.0.0.1:55432", server)],
        narrations: ["someone edits db/seed.sql": "printf -- '-- reviewed\\n' >> db/seed.sql"])

    case "repository-embedded-original-seed":
      // The first seed, which left out the NOT NULL email column.
      var files = try repositoryFiles()
      files["db/seed.sql"] = try RepositoryFiles.read("Tests/Fixtures/docs/original-seed.sql")
      return try embedded(files)

    case "repository-embedded":
      return try embedded(try repositoryFiles())

    case "repository-embedded-lock-held":
      // Another run holds the lock (README: "One destructive run at a time").
      var files = try repositoryFiles()
      files["tasks/hold.yml"] = holdTasks
      var setup = try embedded(
        files,
        before:
          "mkfifo held.fifo release.fifo && { cruddur hold > hold.log 2>&1 & } && cat held.fifo")
      setup.after = "echo go > release.fifo; wait"
      return setup

    case "repository-prod-managed":
      // `prod-managed` as docs/credentials.md describes it; the plan calls no AWS.
      return DocExampleSetup(
        project: try TemporaryProject(files: try repositoryFiles()),
        environment: [
          "DB_ENDPOINT": "db.example.com",
          "DB_SECRET_ARN":
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d-4e5f-6789-abcd-ef0123456789-AbCdEf",
        ])

    case "repository-prod-backup":
      // `prod` a database with the schema and seed loaded.
      try await fresh("dsrc", on: cluster, create: false)
      let project = try TemporaryProject(files: try repositoryFiles())
      return DocExampleSetup(
        project: project,
        environment: ["PROD_CONNECTION_URL": "postgresql://\(server)/dsrc"],
        substitutions: common + [dumpSizes],
        before: [
          0:
            "cruddur db:create -e prod && cruddur db:schema -e prod --yes && cruddur db:seed -e prod"
        ])

    case "unknown-key":
      return DocExampleSetup(
        project: try TemporaryProject(files: try fixtureFiles("unknown-key")),
        environment: ["CONNECTION_URL": "postgresql://\(server)/unknown_key"])

    case "password-sources":
      // README's `password:` sources; a typo made between the two commands.
      return DocExampleSetup(
        project: try TemporaryProject(files: try fixtureFiles("password-sources")),
        narrations: [
          "a typo in cruddur.yml: comand for command":
            "sed -i 's/{ command:/{ comand:/' cruddur.yml"
        ])

    case "cleanup":
      // A protected `prod` whose database has `activities` and a stable `archive_activities()`.
      try await fresh("demo", on: cluster)
      _ = try await cluster.query(
        "create table public.activities (message text, expires_at timestamptz)", database: "demo")
      _ = try await cluster.query(
        "create function archive_activities() returns bigint stable language sql as 'select count(*) from public.activities'",
        database: "demo")
      return DocExampleSetup(
        project: try TemporaryProject(files: try fixtureFiles("cleanup")),
        environment: [
          "DEMO_URL": "postgresql://postgres@127.0.0.1:\(cluster.port)/demo",
          "PGPASSWORD": password,
        ],
        substitutions: common)

    case "stamp":
      // `local`'s database renamed to `prod`'s, as a restore under a new name leaves it.
      try await fresh("app_local", on: cluster, create: false)
      try await fresh("app_prod", on: cluster, create: false)
      return DocExampleSetup(
        project: try TemporaryProject(files: try fixtureFiles("stamp")),
        environment: ["SERVER": "postgresql://\(server)"],
        substitutions: common,
        before: [
          0:
            "cruddur create && psql -q -X -d \"$SERVER/postgres\" -c 'alter database app_local rename to app_prod'"
        ])

    case "moto-security-group":
      // tasks/aws.yml against moto_server, with a security group and its rule made there.
      let moto = try await MotoServer.start()
      let group = try await moto.aws([
        "ec2", "create-security-group", "--group-name", "cruddur-db", "--description", "db",
        "--query", "GroupId",
      ]).text.trimmingCharacters(in: .whitespacesAndNewlines)
      let rule = try await moto.aws([
        "ec2", "authorize-security-group-ingress", "--group-id", group, "--ip-permissions",
        "IpProtocol=tcp,FromPort=5432,ToPort=5432,IpRanges=[{CidrIp=198.51.100.1/32}]",
        "--query", "SecurityGroupRules[0].SecurityGroupRuleId",
      ]).text.trimmingCharacters(in: .whitespacesAndNewlines)
      var environment = MotoServer.environment.filter {
        ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"].contains($0.key)
      }
      environment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
      return DocExampleSetup(
        project: try TemporaryProject(files: try repositoryFiles()),
        environment: environment,
        substitutions: common + [securityGroups],
        commandRewrites: [
          ("http://127.0.0.1:5000", moto.endpoint), ("sgr-...", rule), ("sg-...", group),
        ],
        stop: { moto.stop() })

    case "dbmate":
      // The real dbmate beside cruddur on one database, its table in schema `app`.
      try await fresh("notes_dev", on: cluster)
      return DocExampleSetup(
        project: try TemporaryProject(files: try fixtureFiles("dbmate")),
        environment: [
          "DATABASE_URL":
            "postgresql://postgres@127.0.0.1:\(cluster.port)/notes_dev?sslmode=disable&search_path=app",
          "PGPASSWORD": password, "DBMATE_NO_DUMP_SCHEMA": "true",
        ],
        substitutions: common + [dbmateDurations],
        narrations: [
          "someone adds db/migrations/20261201140000_tags.sql":
            "cp \(RepositoryFiles.root)/Tests/Fixtures/docs/dbmate-tags.sql db/migrations/20261201140000_tags.sql"
        ])

    case "dbmate-interrupted":
      // README's "Stopped midway": a migration of three statements outside a transaction,
      // its run killed (SIGKILL) while the third, an index built concurrently on a table of
      // 500,000 rows, runs, and that statement's backend ended, as a lost connection ends it.
      try await fresh("notes_dev", on: cluster)
      let fixtures = RepositoryFiles.root + "/Tests/Fixtures/docs"
      return DocExampleSetup(
        project: try TemporaryProject(files: try fixtureFiles("dbmate")),
        environment: [
          "DATABASE_URL":
            "postgresql://postgres@127.0.0.1:\(cluster.port)/notes_dev?sslmode=disable&search_path=app",
          "HOLD_URL": "postgresql://postgres@127.0.0.1:\(cluster.port)/notes_dev",
          "PGPASSWORD": password,
        ],
        substitutions: common + [.timestamps, userAtHost],
        before: [
          0: """
          psql -X -q "$HOLD_URL" -c "create schema app" &&
          cp \(fixtures)/dbmate-tags.sql db/migrations/20261201140000_tags.sql &&
          cp \(fixtures)/dbmate-titles.sql db/migrations/20261201150000_titles.sql &&
          cruddur db:migrate &&
          psql -X -q -v ON_ERROR_STOP=1 "$HOLD_URL" -c "insert into app.notes (body) select 'note ' || g from generate_series(1, 500000) g" &&
          cp \(fixtures)/dbmate-index-notes.sql db/migrations/20261201160000_index_notes.sql || exit 9
          cruddur db:migrate > interrupted.log 2>&1 &
          run=$!
          running="select pid from pg_stat_activity where query like 'create index concurrently notes_tag%'"
          # Until the third statement runs (or the run has ended: the block then fails on it).
          until [ -n "$(psql -X -At "$HOLD_URL" -c "$running")" ] || ! kill -0 $run; do :; done
          kill -9 $run
          psql -X -q "$HOLD_URL" -c "select pg_terminate_backend(pid) from ($running) r" > /dev/null
          wait
          # On 500,000 rows the build can finish between being seen and being ended (a CI
          # run did): the index is then left valid, not as a failed build leaves it. That
          # state, INVALID, is what the block documents, so it is set as the failed build
          # sets it; the refusal and the resume read the same either way.
          psql -X -q "$HOLD_URL" -c "update pg_catalog.pg_index set indisvalid = false where indexrelid = pg_catalog.to_regclass('app.notes_tag')" > /dev/null
          """
        ])

    case "fleet", "fleet-resumed":
      // README's fleet: 24 databases `tenant_*` on two servers (this suite's and one started
      // here), tenant_17 with a `notes` table already; "fleet-resumed" after the first run,
      // with that table dropped.
      let second = try TestCluster.start()
      for (server, numbers) in [(cluster, 1...12), (second, 13...24)] {
        _ = try await server.query(
          "do $$ begin create role deploy superuser login password '\(password)'; "
            + "exception when duplicate_object then null; end $$")
        for number in numbers { try await fresh(String(format: "tenant_%02d", number), on: server) }
      }
      _ = try await second.query("create table notes (id int)", database: "tenant_17")
      var setup = DocExampleSetup(
        project: try TemporaryProject(files: try fixtureFiles("fleet")),
        environment: ["PGPASSWORD": password, "A_PORT": cluster.port, "B_PORT": second.port],
        substitutions: common + [fleetTargets],
        stop: { second.stop() })
      if name == "fleet-resumed" {
        setup.before[0] = """
          cruddur db:migrate -e tenants --canary 2 --run-id 20261207-1830-demo
          psql -X -q "postgresql://deploy@127.0.0.1:\(second.port)/tenant_17" -c "drop table notes"
          """
      }
      return setup

    case "fleet-plan":
      // README's fleet saved plan: six databases `tenant_*` on this suite's server (those
      // another block made dropped), and `tenant_03` as an environment of its own.
      _ = try await cluster.query(
        "do $$ begin create role deploy superuser login password '\(password)'; "
          + "exception when duplicate_object then null; end $$")
      for number in 1...24 {
        try await fresh(String(format: "tenant_%02d", number), on: cluster, create: number <= 6)
      }
      return DocExampleSetup(
        project: try TemporaryProject(files: try fixtureFiles("fleet-plan")),
        environment: ["PGPASSWORD": password, "A_PORT": cluster.port],
        substitutions: common + [planDigests, fleetRunIDs])

    case "notes":
      // `local` and a protected `prod` on one server, both with the first migration applied.
      try await fresh("notes_dev", on: cluster, create: false)
      try await fresh("notes_prod", on: cluster, create: false)
      let project = try TemporaryProject(files: try fixtureFiles("notes"))
      return DocExampleSetup(
        project: project,
        environment: ["SERVER": "postgresql://\(server)"],
        substitutions: common + [
          planDigests, .timestamps,
          newVersion(in: project.path, named: "add_author_to_notes", documented: "20261201195058"),
        ],
        commandRewrites: [
          ("20261201195058", "$(cd db/migrations && ls *_add_author_to_notes.sql | cut -c1-14)")
        ],
        narrations: [
          "someone writes the migration": """
          file=$(ls db/migrations/*_add_author_to_notes.sql) && cat > "$file" <<'SQL'
          -- migrate:up
          alter table public.notes add column author text not null default 'anonymous';
          create index notes_author on public.notes (author);

          -- migrate:down
          drop index public.notes_author;
          alter table public.notes drop column author;
          SQL
          """
        ],
        before: [
          0:
            "cruddur db:create && cruddur db:migrate && cruddur db:create -e prod && cruddur db:migrate -e prod --yes"
        ])

    default:
      return nil
    }
  }
}
