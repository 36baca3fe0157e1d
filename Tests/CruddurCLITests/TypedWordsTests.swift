import CruddurTestSupport
import Foundation
import Testing

/// Nothing typed is ignored: a `--set` name nothing reads, an environment's name where a
/// task or parameter goes, a step count after `db:rollback`, a bare `cruddur`. Each is run
/// on the repository's own tasks, as a user on a fresh clone would type it, with and
/// without `--dry-run`: the dry-run must refuse what the run refuses.
@Suite struct TypedWordsTests {
  /// The repository's cruddur.yml and tasks, on a server that is never reached (port 1):
  /// everything here is decided before a connection.
  static func project(extraFiles: [String: String] = [:]) throws -> TemporaryProject {
    var files = [
      "cruddur.yml": try RepositoryFiles.read("cruddur.yml"),
      "tasks/db.yml": try RepositoryFiles.read("tasks/db.yml"),
      "tasks/aws.yml": try RepositoryFiles.read("tasks/aws.yml"),
      "db/schema.sql": try RepositoryFiles.read("db/schema.sql"),
      "db/seed.sql": try RepositoryFiles.read("db/seed.sql"),
      "db/migrations/20261201000000_baseline.sql": try RepositoryFiles.read(
        "db/migrations/20261201000000_baseline.sql"),
    ]
    files.merge(extraFiles) { _, new in new }
    return try TemporaryProject(files: files)
  }

  static let environment = [
    "CONNECTION_URL": "postgresql://postgres:pw@127.0.0.1:1/cruddur",
    "PROD_CONNECTION_URL": "postgresql://app:pw@127.0.0.1:1/prod",
  ]

  @Test(
    "a --set name nothing reads is an error with the name that is read, run or dry-run",
    arguments: [
      (["db:rollback", "--set", "STPE=2"], "STPE", "STEP"),
      (["db:rollback", "--set", "STEPS=2"], "STEPS", "STEP"),
      (["db:migrate", "--set", "ALLOW_OUT_OF_ORDR=1"], "ALLOW_OUT_OF_ORDR", "ALLOW_OUT_OF_ORDER"),
      (["aws:sg-allow-me", "--set", "MY_IPP=203.0.113.7"], "MY_IPP", "MY_IP"),
    ])
  func unreadSet(_ arguments: [String], _ name: String, _ suggestion: String) async throws {
    let project = try Self.project()
    defer { project.remove() }
    for dryRun in [false, true] {
      let result = try await project.run(arguments + (dryRun ? ["--dry-run"] : []), environment: Self.environment)
      #expect(result.status == 2, "\(result)")
      #expect(result.stdout == "", "\(result)")
      #expect(
        result.stderr == """
          error: `--set \(name)` names a variable nothing reads: no task, variable or executor of this project uses it
           = help: did you mean `\(suggestion)`?

          """, "\(result)")
    }
  }

  @Test("a --set name close to nothing says where a program's own variables go")
  func unreadSetFarFromAny() async throws {
    let project = try Self.project()
    defer { project.remove() }
    let result = try await project.run(["aws:rds-status", "--set", "AWS_PROFILE=dev", "-n"], environment: Self.environment)
    #expect(result.status == 2, "\(result)")
    #expect(
      result.stderr == """
        error: `--set AWS_PROFILE` names a variable nothing reads: no task, variable or executor of this project uses it
         = help: a program a shell step runs reads the process environment: set it there (`AWS_PROFILE=... cruddur ...`)

        """, "\(result)")
  }

  @Test("names that are read pass: a step count, a variable a shell command names, a declared one")
  func readSetPasses() async throws {
    let project = try Self.project()
    defer { project.remove() }
    for arguments in [
      ["db:rollback", "--set", "STEP=2"], ["db:migrate", "--set", "ALLOW_OUT_OF_ORDER=1"],
      ["aws:rds-status", "--set", "AWS_ENDPOINT=http://127.0.0.1:1"], ["aws:rds-stop", "--set", "DB_INSTANCE_ID=x"],
    ] {
      let result = try await project.run(arguments + ["-n"], environment: Self.environment)
      #expect(result.status == 0, "\(arguments): \(result)")
      #expect(result.stderr == "", "\(arguments): \(result)")
    }
  }

  @Test("where a plugin is given every variable, an unknown name is only a warning")
  func pluginMayReadAny() async throws {
    let plugin = RepositoryFiles.root + "/Examples/plugins/cruddur-plugin-rowcount"
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local: { default: true, url: "postgresql://postgres:pw@127.0.0.1:1/app" }
      plugins: { rowcount: \(plugin) }
      tasks:
        hello: { shell: echo "$NAME" }
        other: { uses: rowcount, with: { table: public.users, min: 1 } }
      """
    ])
    defer { project.remove() }
    let result = try await project.run(["hello", "--set", "NMAE=x", "-n"])
    #expect(result.status == 0, "\(result)")
    #expect(
      result.stderr == "warning: `--set NMAE` names a variable this project does not use\n = help: did you mean `NAME`?\n",
      "\(result)")
  }

  @Test(
    "an environment's name where a task or a parameter goes: did you mean -e",
    arguments: [
      (["db:sessions", "prod"], "error: `prod` is an environment, not a parameter of `db:sessions`"),
      (["prod"], "error: `prod` is an environment, not a task"),
      (["db:setup", "local", "--dry-run"], "error: `local` is an environment, not a parameter of `db:setup`"),
    ])
  func environmentWord(_ arguments: [String], _ message: String) async throws {
    let project = try Self.project()
    defer { project.remove() }
    let result = try await project.run(arguments, environment: Self.environment)
    #expect(result.status == 2, "\(result)")
    let name = message.contains("`prod`") ? "prod" : "local"
    #expect(result.stderr == "\(message)\n = help: did you mean `-e \(name)`?\n", "\(result)")
  }

  @Test("a word after a task that takes no parameters is not sent to `help` for parameters")
  func noParametersHint() async throws {
    let project = try Self.project()
    defer { project.remove() }
    let result = try await project.run(["db:sessions", "verbose"], environment: Self.environment)
    #expect(result.status == 2, "\(result)")
    #expect(
      result.stderr == "error: unknown task `verbose`\n = help: `db:sessions` takes no parameters; `cruddur list` shows the tasks\n",
      "\(result)")
  }

  @Test("db:rollback takes the step count as a parameter; without it, one")
  func rollbackCount() async throws {
    let project = try Self.project()
    defer { project.remove() }
    let two = try await project.run(["db:rollback", "2", "--dry-run"], environment: Self.environment)
    #expect(two.status == 0, "\(two)")
    #expect(two.stdout.contains("   roll back the last 2 applied migrations of db/migrations\n"), "\(two)")
    #expect(two.stdout.contains("   bound: STEP: '2'\n"), "\(two)")
    let one = try await project.run(["db:rollback", "--dry-run"], environment: Self.environment)
    #expect(one.status == 0, "\(one)")
    #expect(one.stdout.contains("   roll back the last applied migration of db/migrations\n"), "\(one)")
    #expect(one.stdout.contains("   bound: STEP: '1' (from the task's vars)\n"), "\(one)")
    let bad = try await project.run(["db:rollback", "two", "--dry-run"], environment: Self.environment)
    #expect(bad.status != 0, "\(bad)")
    #expect(bad.stderr.contains("STEP must be a positive number of migrations, found `two`"), "\(bad)")
  }

  @Test("a bare `cruddur` lists the tasks, as `cruddur list` does; outside a project it says there is none")
  func bare() async throws {
    let project = try Self.project()
    defer { project.remove() }
    let bare = try await project.run([], environment: Self.environment)
    let list = try await project.run(["list"], environment: Self.environment)
    #expect(bare.status == 0, "\(bare)")
    #expect(bare.stdout == list.stdout && bare.stderr == list.stderr)
    #expect(bare.stdout.contains("  db:setup "), "\(bare)")
    let empty = try TemporaryProject(files: [:])
    defer { empty.remove() }
    let none = try await empty.run([])
    #expect(none.status == 2, "\(none)")
    #expect(none.stderr.hasPrefix("error: no cruddur.yml"), "\(none)")
  }
}
