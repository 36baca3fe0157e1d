import CruddurCore
import CruddurTestSupport
import Foundation
import Testing

/// `password:` sources end to end: the built binary, a real server (PostgreSQL, or a
/// protocol peer for IAM tokens), the real aws CLI against moto_server; each run watched
/// for the password in every process's command line and environment, in its output, its
/// JSON events, a saved plan and the files under `.cruddur/`.
@Suite(.postgresCluster) struct PasswordSourceRunTests {
  static var cluster: TestCluster { TestCluster.required }

  /// A login role with `password` on the test cluster.
  static func role(password: String) async throws -> String {
    let name = TestCluster.uniqueDatabaseName("app")
    _ = try await cluster.query("create role \(name) login password '\(password)'")
    return name
  }

  static func project(_ environment: String) throws -> TemporaryProject {
    try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        prod:
      \(environment.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
      tasks:
        who: { query: "select current_user as who" }
        sh: { shell: "true", destructive: false }

      """
    ])
  }

  /// Runs `cruddur` with the process scan on; returns the result after checking its output.
  static func scanned(
    _ project: TemporaryProject, _ arguments: [String], environment: [String: String],
    scan: SecretScan
  ) async throws -> CruddurBinary.Result {
    scan.start()
    let result = try await project.run(arguments, environment: environment)
    #expect(scan.finish() > 0)
    scan.check(result.stdout, as: "stdout of \(arguments)")
    scan.check(result.stderr, as: "stderr of \(arguments)")
    return result
  }

  static func checkLeftovers(_ project: TemporaryProject, scan: SecretScan) {
    scan.checkFiles(under: project.path + "/.cruddur")
    if let plan = try? String(contentsOfFile: project.path + "/plan.json", encoding: .utf8) {
      scan.check(plan, as: "saved plan")
    }
  }

  @Test("pg_dump: a password command's password reaches pg_dump only in its passfile")
  func dumpWithCommand() async throws {
    let secret = "dump-\(UUID().uuidString)"
    let role = try await Self.role(password: secret)
    let database = TestCluster.uniqueDatabaseName("dumppw")
    _ = try await Self.cluster.query("create database \(database) owner \(role)")
    let vault = try TemporaryDirectory(prefix: "cruddur-vault")
    defer { vault.remove() }
    try vault.write("pw", secret + "\n")
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        prod:
          url: postgresql://\(role)@127.0.0.1:\(Self.cluster.port)/\(database)
          password: { command: "cat '\(vault.path)/pw'" }
      tasks:
        backup: { pg_dump: backup.dump }

      """
    ])
    defer { project.remove() }
    let scan = SecretScan([secret])
    let run = try await Self.scanned(project, ["backup"], environment: [:], scan: scan)
    #expect(run.status == 0, "\(run)")
    let dump = try Data(contentsOf: URL(fileURLWithPath: project.path + "/backup.dump"))
    // pg_dump's custom format starts with its magic; the dump itself holds no password.
    #expect(dump.prefix(5) == Data("PGDMP".utf8), "\(run)")
    scan.check(String(decoding: dump, as: UTF8.self), as: "the dump")
    _ = try await Self.cluster.query("drop database \(database)")
  }

  @Test("a password command logs in; the password is in no child, output, event, plan or file")
  func command() async throws {
    let secret = "cmd-\(UUID().uuidString)"
    let role = try await Self.role(password: secret)
    let vault = try TemporaryDirectory(prefix: "cruddur-vault")
    defer { vault.remove() }
    try vault.write("pw", secret + "\nsecond line is not the password\n")
    let project = try Self.project(
      """
      url: postgresql://\(role)@127.0.0.1:\(Self.cluster.port)/postgres
      password: { command: "cat '\(vault.path)/pw'; echo 'vault: unlocked' >&2", timeout: 20s }
      """)
    defer { project.remove() }
    let scan = SecretScan([secret])
    let run = try await Self.scanned(
      project, ["who", "sh", "--format", "json"], environment: [:], scan: scan)
    #expect(run.status == 0, "\(run)")
    #expect(run.stdout.contains(#""who":"\#(role)""#), "\(run)")
    #expect(run.stderr == "vault: unlocked\n")
    let plan = try await Self.scanned(
      project, ["plan", "who", "--out", "plan.json"], environment: [:], scan: scan)
    #expect(plan.status == 0, "\(plan)")
    #expect(plan.stdout.contains("password: the output of `cat"), "\(plan)")
    let connect = try await Self.scanned(
      project, ["connect", "--", "-tAc", "select current_user"], environment: [:], scan: scan)
    #expect(connect.status == 0, "\(connect)")
    #expect(connect.stdout == role + "\n", "\(connect)")
    Self.checkLeftovers(project, scan: scan)
    #expect(scan.places == [])
  }

  @Test("a password command that fails or hangs: exit 2, what to do, its stderr masked")
  func commandFails() async throws {
    let secret = "leak-\(UUID().uuidString)"
    let project = try Self.project(
      """
      url: postgresql://nobody@127.0.0.1:\(Self.cluster.port)/postgres
      password: { command: "echo \(secret); echo 'vault sealed, last token \(secret)' >&2; exit 3" }
      """)
    defer { project.remove() }
    let failed = try await project.run(["who"])
    #expect(failed.status == 2, "\(failed)")
    #expect(!failed.output.contains(secret))
    #expect(
      failed.stderr.contains(
        "error: the password command `echo ****; echo 'vault sealed, last token ****' >&2; exit 3` exited with status 3"
      ), "\(failed)")
    #expect(failed.stderr.contains("vault sealed, last token ****"), "\(failed)")
    #expect(failed.stderr.contains("it must print the password on its first line"), "\(failed)")

    try project.write(
      "cruddur.yml",
      """
      version: 1
      environments:
        prod:
          url: postgresql://nobody@127.0.0.1:\(Self.cluster.port)/postgres
          password: { command: "sleep 60", timeout: 1s }
      tasks:
        who: { query: "select 1" }

      """)
    let hung = try await project.run(["who"])
    #expect(hung.status == 2, "\(hung)")
    #expect(
      hung.stderr.contains("error: the password command `sleep 60` did not finish within 1 s"),
      "\(hung)")
    #expect(hung.stderr.contains("raise `timeout:`"), "\(hung)")
  }

  @Test("plan and list fetch nothing: no AWS, no command run")
  func planPaysNothing() async throws {
    let marker = NSTemporaryDirectory() + "cruddur-ran-\(UUID().uuidString)"
    let project = try Self.project(
      """
      url: postgresql://app@127.0.0.1:1/postgres
      password: { command: "touch \(marker); echo pw" }
      """)
    defer { project.remove() }
    try project.write(
      "other.yml",
      """
      version: 1
      environments:
        prod:
          url: postgresql://app@db.example.com/app
          password: { aws_secret: prod/db }
      tasks:
        who: { query: "select 1" }

      """)
    let plan = try await project.run(["plan", "who"])
    #expect(plan.status == 0, "\(plan)")
    #expect(!FileManager.default.fileExists(atPath: marker))
    // No AWS credentials, region or endpoint at all: a plan must not need them.
    let aws = try await project.run(
      ["plan", "who", "-f", "other.yml"], environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:1"])
    #expect(aws.status == 0, "\(aws)")
    #expect(
      aws.stdout.hasPrefix(
        "Plan for who on prod (postgresql://app@db.example.com/app)\npassword: Secrets Manager secret `prod/db`\n"
      ),
      "\(aws)")
    let list = try await project.run(["list", "-f", "other.yml"])
    #expect(list.status == 0, "\(list)")
  }

  @Test(
    "envs shows each password source; envs --check fetches it, and a failure exits 2 with its reason"
  )
  func envsCheck() async throws {
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        good:
          url: postgresql://app@127.0.0.1:1/app
          password: { command: "echo pw-\(UUID().uuidString)" }
        sealed:
          url: postgresql://app@127.0.0.1:1/app
          password: { command: "echo 'vault is sealed' >&2; exit 4" }

      """
    ])
    defer { project.remove() }
    let list = try await project.run(["envs"])
    #expect(list.status == 0, "\(list)")
    #expect(
      list.stdout.replacing(/pw-[0-9A-F-]+/, with: "pw-<uuid>") == """
        good\tpostgresql://app@127.0.0.1:1/app\tpassword: the output of `echo pw-<uuid>`
        sealed\tpostgresql://app@127.0.0.1:1/app\tpassword: the output of `echo 'vault is sealed' >&2; exit 4`

        """)
    let check = try await project.run(["envs", "--check"])
    #expect(check.status == 2, "\(check)")
    #expect(check.stdout.contains("`echo pw-"), "\(check)")
    #expect(
      check.stdout.split(separator: "\n").map {
        $0.hasSuffix("(fetched)") || $0.hasSuffix("(failed)")
      } == [true, true])
    #expect(
      check.stderr == """
        error: the password command `echo 'vault is sealed' >&2; exit 4` exited with status 4
         = stderr: vault is sealed
         = help: run the command yourself to see why; it must print the password on its first line

        """, "\(check)")
  }

  @Test("steps connecting at once share one run of the password command")
  func oneFetchPerRun() async throws {
    let secret = "once-\(UUID().uuidString)"
    let role = try await Self.role(password: secret)
    let vault = try TemporaryDirectory(prefix: "cruddur-vault")
    defer { vault.remove() }
    try vault.write("pw", secret + "\n")
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        prod:
          url: postgresql://\(role)@127.0.0.1:\(Self.cluster.port)/postgres
          password: { command: "echo run >> '\(vault.path)/runs'; cat '\(vault.path)/pw'" }
      tasks:
        a: { query: "select pg_sleep(0.2)" }
        b: { query: "select pg_sleep(0.2)" }
        c: { query: "select 1", on: maintenance }
        all: { deps: [a, b, c], query: "select 1" }

      """
    ])
    defer { project.remove() }
    let run = try await project.run(["all", "-j", "3"])
    #expect(run.status == 0, "\(run)")
    #expect(try String(contentsOfFile: vault.path + "/runs", encoding: .utf8) == "run\n")
  }
}
