import CruddurTestSupport
import Foundation
import Testing

/// `list` and `help TASK`: what a task takes, does and risks, without opening the YAML.
@Suite struct DiscoveryTests {
  static let files = [
    "cruddur.yml": """
    version: 1
    environments:
      local: { default: true, url: "postgresql://postgres:pw@127.0.0.1:1/app" }
      prod: { url: "postgresql://postgres:pw@db.example.com:5432/app", protected: true }
    tasks:
      hello: { description: Say hello, shell: echo hello }
      zap: { description: Remove things, destructive: true, shell: rm -f x }
      db:drop: { description: Drop it, database: drop }
      db:reset: { description: Drop and create, steps: [db:drop, db:create] }
      db:create: { database: create }
      notes:add: { description: Add a note, params: [body, author], query: "insert into notes (body, author) values ($1, $2)" }
      vault:open: { description: Open the vault, protected: true, shell: echo open }
      later: { description: Pick up, shell: echo later }
    """
  ]

  @Test("list shows parameters and marks, with one group for tasks without a namespace")
  func listText() async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    let result = try await project.run(["list"])
    #expect(result.status == 0, "\(result)")
    #expect(
      result.stdout == """
        tasks:
          hello                  Say hello
          later                  Pick up
          zap                    Remove things  [destructive]

        db:
          db:create
          db:drop                Drop it  [destructive]
          db:reset               Drop and create  [destructive]

        notes:
          notes:add body author  Add a note

        vault:
          vault:open             Open the vault  [protected]

        """)
    #expect(result.stderr.isEmpty)
  }

  @Test("list --format json has params, destructive and protected as fields")
  func listJSON() async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    let result = try await project.run(["list", "--format", "json"])
    #expect(result.status == 0, "\(result)")
    let entries = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    let byName = Dictionary(uniqueKeysWithValues: entries.map { ($0["name"] as! String, $0) })
    #expect(byName["notes:add"]?["params"] as? [String] == ["body", "author"])
    #expect(byName["db:reset"]?["destructive"] as? Bool == true)
    #expect(byName["db:reset"]?["steps"] as? [String] == ["db:drop", "db:create"])
    #expect(byName["hello"]?["destructive"] as? Bool == false)
    #expect(byName["vault:open"]?["protected"] as? Bool == true)
    #expect(byName["hello"]?["namespace"] is NSNull || byName["hello"]?["namespace"] == nil)
    #expect(byName["notes:add"]?["location"] as? String == "cruddur.yml:11:3")
    // One naming style: every key is snake_case.
    let keys = Set(entries.flatMap(\.keys))
    #expect(keys.allSatisfy { $0 == $0.lowercased() }, "\(keys)")
  }

  @Test("help TASK, TASK --help and run TASK --help show the task, its steps and where it needs consent")
  func helpTask() async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    let expected = """
      db:reset: Drop and create
      declared at cruddur.yml:9:3

      usage: cruddur db:reset
      steps: db:drop, db:create

      runs, in order (planned on local):
        1. db:drop    database  drop database "app" if it exists, ending its sessions  [destructive]
        2. db:create  database  create database "app" if it does not exist

      needs consent on: prod (--yes, or type the name)

      """
    for arguments in [["help", "db:reset"], ["db:reset", "--help"], ["run", "db:reset", "-h"]] {
      let result = try await project.run(arguments)
      #expect(result.status == 0, "\(arguments): \(result)")
      #expect(result.stdout == expected, "\(arguments)")
    }
  }

  @Test("help shows parameters with their positions; a protected task needs consent everywhere")
  func helpParametersAndProtected() async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    let notes = try await project.run(["help", "notes:add"])
    #expect(
      notes.stdout == """
        notes:add: Add a note
        declared at cruddur.yml:11:3

        usage: cruddur notes:add <body> <author>
        parameters:
          $1 body    or --set body=...
          $2 author  or --set author=...
        executor: query

        runs, in order (planned on local):
          1. notes:add  query  query: insert into notes (body, author) values ($1, $2)

        needs consent on: no environment

        """, "\(notes)")
    let vault = try await project.run(["help", "vault:open"])
    #expect(vault.stdout.hasSuffix("needs consent on: local, prod (--yes, or type the name)\n"), "\(vault)")
  }

  @Test("help for a task whose variables are missing still shows its steps, and lists what is not set")
  func helpWithoutPlan() async throws {
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local: { url: "postgresql://postgres:pw@127.0.0.1:1/app" }
      tasks:
        sg:allow: { description: Allow me, requires: [SG_ID], shell: echo "$SG_ID" }
      """
    ])
    defer { project.remove() }
    let result = try await project.run(["help", "sg:allow"])
    #expect(result.status == 0, "\(result)")
    #expect(
      result.stdout == """
        sg:allow: Allow me
        declared at cruddur.yml:5:3

        usage: cruddur sg:allow
        executor: shell

        runs, in order (planned on local):
          1. sg:allow  shell  sh: echo "$SG_ID"

        not set here: `SG_ID` (shown as <NAME>); set in the environment or with `--set NAME=value` to run

        needs consent on: no environment

        """)
  }

  @Test("help with a word that is no task or command suggests one; command help is the grammar's page")
  func helpUnknown() async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    let typo = try await project.run(["help", "db:rest"])
    #expect(typo.status == 2)
    #expect(typo.stderr == "error: no command or task `db:rest`\n = help: did you mean `db:reset`?\n", "\(typo)")
    let command = try await project.run(["help", "lsit"])
    #expect(command.stderr == "error: no command or task `lsit`\n = help: did you mean `list`?\n", "\(command)")
    let listHelp = try await project.run(["help", "list"])
    #expect(listHelp.status == 0)
    #expect(listHelp.stdout.hasPrefix("OVERVIEW: List the tasks"), "\(listHelp)")
  }
}
