import CruddurCore
import CruddurPostgres
import CruddurProcess
import CruddurTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `pg_dump: FILE` against a port where nothing listens: what needs no server.
@Suite struct DumpPlanTests {
  static func project(_ file: String = "backups/db.dump") throws -> (TemporaryProject, Int) {
    let port = try TestCluster.freePort()
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local:
          default: true
          url: postgresql://postgres:\(TestCluster.password)@127.0.0.1:\(port)/app
      tasks:
        backup:
          pg_dump: \(file)

      """
    ])
    return (project, port)
  }

  @Test("a plan shows the target and the file; the size is computed at run time, and nothing connects")
  func plan() async throws {
    let (project, port) = try Self.project()
    defer { project.remove() }
    try await project.expect(
      ["plan", "backup"],
      stdout: """
        Plan for backup on local (postgresql://postgres:****@127.0.0.1:<port>/app)
        1. backup (pg_dump)
           pg_dump app to backups/db.dump (custom format)
           target: postgres@127.0.0.1:<port>/app
           file: backups/db.dump (database size computed at run time)

        """, normalizing: [.number(port, as: "<port>")])
    #expect(!FileManager.default.fileExists(atPath: project.path + "/backups"))
  }

  @Test(
    "a FIFO, a directory, a socket or a symbolic link at FILE is refused with exit 2 by validate, plan and run, before anything connects",
    arguments: ["fifo", "directory", "socket", "symlink"])
  func specialFileRefused(kind: String) async throws {
    let (project, _) = try Self.project()
    defer { project.remove() }
    let outside = project.path + "/outside.dump"
    switch kind {
    case "fifo": try project.directory.makeFIFO("backups/db.dump")
    case "directory": try project.directory.makeDirectory("backups/db.dump")
    case "socket": try project.directory.makeSocket("backups/db.dump")
    default: try project.directory.makeSymlink("backups/db.dump", to: outside)
    }
    let words = ["fifo": "a FIFO", "directory": "a directory", "socket": "a socket", "symlink": "a symbolic link"]
    let refusal = """
      error: `backups/db.dump` is \(words[kind]!), not a file: a dump is written only to a regular file or a new one
       --> cruddur.yml:8:14
        |
      8 |     pg_dump: backups/db.dump
        |              ^^^^^^^^^^^^^^^
        = help: remove it, or name another file in `pg_dump:`

      """
    // Nothing listens on the URL's port: a step that connected would fail with exit 1.
    for arguments in [["validate"], ["plan", "backup"], ["backup"]] {
      try await project.expect(arguments, stderr: refusal, status: 2)
    }
    #expect(!FileManager.default.fileExists(atPath: outside), "written through the symbolic link")
  }

  @Test("a character device (/dev/null) is refused too")
  func deviceRefused() async throws {
    let (project, _) = try Self.project("/dev/null")
    defer { project.remove() }
    try await project.expect(
      ["backup"],
      stderr: """
        error: `/dev/null` is a character device, not a file: a dump is written only to a regular file or a new one
         --> cruddur.yml:8:14
          |
        8 |     pg_dump: /dev/null
          |              ^^^^^^^^^
          = help: remove it, or name another file in `pg_dump:`

        """, status: 2)
  }
}

extension DatabaseTests {
  @Suite struct DumpTests {
    static func project(database: String) throws -> TemporaryProject {
      try TemporaryProject(files: [
        "cruddur.yml": """
        version: 1
        environments:
          local:
            default: true
            url: ${TEST_URL}
        tasks:
          backup:
            pg_dump: backups/db.dump

        """
      ])
    }

    /// A database with rows of several types, NULLs and non-ASCII text included.
    static func source() async throws -> String {
      let database = TestCluster.uniqueDatabaseName("dumpsrc")
      _ = try await DatabaseTests.cluster.query("create database \(database)")
      for statement in [
        "create table items (id int primary key, name text, price numeric(10,2), seen timestamptz, data bytea)",
        "insert into items select g, 'item ' || g || ' é✓', g * 1.5, '2026-12-01'::timestamptz + g * interval '1 hour', decode(md5(g::text), 'hex') from generate_series(1, 500) g",
        "insert into items values (501, null, null, null, null)",
        "create table notes (id serial primary key, item int references items, body text)",
        "insert into notes (item, body) values (1, 'first'), (501, E'line\\nbreak')",
      ] {
        _ = try await DatabaseTests.cluster.query(statement, database: database)
      }
      return database
    }

    static func rows(_ database: String) async throws -> [[String?]] {
      try await DatabaseTests.cluster.query("select * from items order by id", database: database)
        + DatabaseTests.cluster.query("select * from notes order by id", database: database)
        + DatabaseTests.cluster.query("select nextval('notes_id_seq')", database: database)
    }

    static let output: [OutputSubstitution] = [
      .pattern(#"dumping (\S+) \([0-9]+ (bytes|kB|MB)\)"#, as: "dumping $1 (<size>)"),
      .pattern(#"wrote (\S+) \([0-9]+ bytes\)"#, as: "wrote $1 (<bytes>)"),
    ]

    @Test("a dump restored with pg_restore into a fresh database has the same rows; FILE is mode 0600")
    func roundTrip() async throws {
      let database = try await Self.source()
      let project = try Self.project(database: database)
      defer { project.remove() }
      try await project.expect(
        ["backup"], environment: DatabaseTests.environment(database: database),
        stdout: """
          cruddur backup on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
          == backup pg_dump <db> to backups/db.dump (custom format)
          dumping <db> (<size>) to backups/db.dump
          wrote backups/db.dump (<bytes>)
             done in <duration>
          ✓ 1 step done in <duration>

          """, normalizing: Self.output + DatabaseTests.variable(database))
      let file = project.path + "/backups/db.dump"
      var info = stat()
      #expect(stat(file, &info) == 0 && info.st_mode & 0o777 == 0o600)
      #expect(try FileManager.default.contentsOfDirectory(atPath: project.path + "/backups") == ["db.dump"])

      let restored = TestCluster.uniqueDatabaseName("dumpdst")
      _ = try await DatabaseTests.cluster.query("create database \(restored)")
      let restore = ChildProcess(
        executable: "/usr/bin/pg_restore",
        arguments: [
          "--no-owner", "--exit-on-error", "-h", "127.0.0.1", "-p", DatabaseTests.cluster.port, "-U",
          TestCluster.user, "-d", restored, file,
        ],
        environment: ["PATH": "/usr/bin:/bin", "PGPASSWORD": TestCluster.password])
      // Blocking, so on a thread of its own rather than the cooperative pool.
      let restoredOutput = try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try restore.runCollectingOutput() }) }
      }
      #expect(restoredOutput.status == 0, "\(restoredOutput.text)")
      let original = try await Self.rows(database)
      #expect(original.count == 504)
      #expect(try await Self.rows(restored) == original)
    }

    /// The pg_dump child of `parent`, found in /proc: its pid, argv and environment.
    static func pgDump(childOf parent: pid_t) -> (pid: Int32, argv: [String], environment: [String])? {
      guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
      for entry in entries {
        guard let pid = Int32(entry),
          let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
          stat.contains("(pg_dump)"),
          let close = stat.lastIndex(of: ")"),
          Int32(stat[stat.index(close, offsetBy: 2)...].split(separator: " ")[1]) == parent
        else { continue }
        func split(_ name: String) -> [String] {
          guard let data = FileManager.default.contents(atPath: "/proc/\(entry)/\(name)") else { return [] }
          return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        }
        return (pid, split("cmdline"), split("environ"))
      }
      return nil
    }

    /// Holds an ACCESS EXCLUSIVE lock on `items` in `database`, so pg_dump (which locks
    /// every table it dumps) waits where the test can watch it; released by `release`.
    static func lock(_ database: String) async throws -> Connection {
      let info = try ConnInfo(parsing: ConnectionURL(DatabaseTests.cluster.url(database: database)))
      let connection = try await Connection.connect(info, applicationName: "dump-test-lock")
      _ = try await connection.execute("begin")
      _ = try await connection.execute("lock table items in access exclusive mode")
      return connection
    }

    static func waitingPgDump(_ database: String) async throws -> Bool {
      try await eventually(60) {
        try await DatabaseTests.cluster.value(
          "select count(*) from pg_stat_activity where datname = '\(database)' and application_name = 'pg_dump' and wait_event_type = 'Lock'"
        ) == "1"
      }
    }

    @Test("the password is never in pg_dump's argv or environment: read from /proc while it waits on a lock")
    func passwordNeverInArgv() async throws {
      let database = try await Self.source()
      let project = try Self.project(database: database)
      defer { project.remove() }
      let lock = try await Self.lock(database)
      let running = try RunningCruddur.start(
        ["backup"], in: project.path, environment: DatabaseTests.environment(database: database))
      #expect(try await Self.waitingPgDump(database), "\(running.output)")
      let child = try #require(Self.pgDump(childOf: running.pid), "\(running.output)")
      _ = try await lock.execute("rollback")
      await lock.close()
      #expect(await running.wait() == 0, "\(running.output)")

      #expect(child.argv.first?.hasSuffix("pg_dump") == true, "\(child.argv)")
      #expect(child.argv.contains("--format=custom"))
      #expect(!child.argv.joined(separator: " ").contains(TestCluster.password), "\(child.argv)")
      #expect(!child.environment.joined(separator: "\n").contains(TestCluster.password))
      #expect(!child.environment.contains { $0.hasPrefix("PGPASSWORD=") || $0.hasPrefix("DATABASE_URL=") })
      // The passfile it was given is gone once the step ended.
      let passfile = try #require(child.environment.first { $0.hasPrefix("PGPASSFILE=") }?.dropFirst(11))
      #expect(!FileManager.default.fileExists(atPath: String(passfile)))
      #expect(!running.output.contains(TestCluster.password))
    }

    @Test("a dump interrupted part-way leaves the old FILE as it was and no partial file behind")
    func interruptedKeepsOldFile() async throws {
      let database = try await Self.source()
      let project = try Self.project(database: database)
      defer { project.remove() }
      try project.write("backups/db.dump", "the previous dump\n")
      let lock = try await Self.lock(database)
      let running = try RunningCruddur.start(
        ["backup"], in: project.path, environment: DatabaseTests.environment(database: database))
      #expect(try await Self.waitingPgDump(database), "\(running.output)")
      kill(running.pid, SIGINT)
      let status = await running.wait()
      _ = try await lock.execute("rollback")
      await lock.close()
      #expect(status == 130, "\(running.output)")
      #expect(try String(contentsOfFile: project.path + "/backups/db.dump", encoding: .utf8) == "the previous dump\n")
      #expect(try FileManager.default.contentsOfDirectory(atPath: project.path + "/backups") == ["db.dump"])
    }

    @Test("plan --check reads the database's size in a read-only transaction")
    func planCheck() async throws {
      let database = try await Self.source()
      let project = try Self.project(database: database)
      defer { project.remove() }
      try await project.expect(
        ["plan", "backup", "--check"], environment: DatabaseTests.environment(database: database),
        stdout: """
          Plan for backup on local (postgresql://postgres:****@127.0.0.1:<port>/<db>)
          1. backup (pg_dump)
             pg_dump <db> to backups/db.dump (custom format)
             target: postgres@127.0.0.1:<port>/<db>
             file: backups/db.dump (database size now <size>)

          """,
        normalizing: [.pattern(#"size now [0-9]+ (bytes|kB|MB)"#, as: "size now <size>")]
          + DatabaseTests.variable(database))
      #expect(!FileManager.default.fileExists(atPath: project.path + "/backups"))
    }
  }
}
