import CruddurTestSupport
import Foundation
import Testing

/// `validate` reports what a plan or a run would refuse, first and once: a SQL file of any
/// size, a URL written out in full, a broken migration read by several tasks.
@Suite struct ValidateStrictTests {
  @Test("a SQL file over 8 MiB is scanned: a problem on its last line is found")
  func largeFile() async throws {
    var text = "create table big (id int primary key, pad text);\n"
    let pad = String(repeating: "x", count: 60)
    for i in 1...110_000 { text += "insert into big values (\(i), '\(pad)');\n" }
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local: { default: true, url: "postgresql://postgres:pw@127.0.0.1:1/app" }
      tasks:
        db:load: { sql: db/load.sql }
      """,
      "db/load.sql": text + "select 'unterminated;\n",
    ])
    defer { project.remove() }
    let validate = try await project.run(["validate"])
    #expect(validate.status == 2, "\(validate)")
    #expect(validate.stderr.contains(" --> db/load.sql:110002:"), "\(validate)")
    // The same problem, in the same words, as the plan's.
    let plan = try await project.run(["plan", "db:load"])
    #expect(plan.status == 2 && plan.stderr == validate.stderr, "\(plan)")
  }

  @Test("a URL written out in full is read by validate, as the run would read it")
  func literalURL() async throws {
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local: { default: true, url: 5432 }
      tasks:
        hello: { shell: echo hi }
      """
    ])
    defer { project.remove() }
    let validate = try await project.run(["validate"])
    let run = try await project.run(["hello"])
    #expect(validate.status == 2, "\(validate)")
    #expect(run.status == 2, "\(run)")
    #expect(validate.stderr == run.stderr, "\(validate)\n\(run)")
    #expect(validate.stderr.hasPrefix("error: cannot read the URL of `local`"), "\(validate)")
  }

  @Test("a URL made of variables is left to the plan, which has them")
  func templatedURL() async throws {
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local: { default: true, url: "${DATABASE_URL}" }
      tasks:
        hello: { shell: echo hi }
      """
    ])
    defer { project.remove() }
    let validate = try await project.run(["validate"])
    #expect(validate.status == 0, "\(validate)")
  }

  @Test("a broken migration read by three tasks is reported once")
  func brokenMigrationOnce() async throws {
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local: { default: true, url: "postgresql://postgres:pw@127.0.0.1:1/app" }
      tasks:
        db:migrate: { migrate: db/migrations }
        db:rollback: { migrate: db/migrations, mode: rollback }
        db:migrate:status: { migrate: db/migrations, mode: status }
      """,
      "db/migrations/20261201000000_broken.sql": "-- migrate:up\nselect 'unterminated;\n",
    ])
    defer { project.remove() }
    let validate = try await project.run(["validate"])
    #expect(validate.status == 2, "\(validate)")
    let errors = validate.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
    #expect(errors.count == 1, "\(validate)")
  }
}

/// Every bad configuration under Tests/Fixtures/bad through `validate`, `plan` and the run:
/// an error a plan or a run reports for a task must be one `validate` reported already
/// (unless it is about the command line itself: a task or environment named there).
@Suite struct ValidatePlanRunAgreementTests {
  /// Task names in the fixture's YAML files: the keys under a `tasks:` line.
  static func tasks(in directory: String) -> [String] {
    let files = (FileManager.default.enumerator(atPath: directory)?.allObjects as? [String] ?? [])
      .filter { $0.hasSuffix(".yml") }.sorted()
    var names: [String] = []
    for file in files {
      guard let text = try? String(contentsOfFile: directory + "/" + file, encoding: .utf8) else { continue }
      var inTasks = false
      for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.hasPrefix("tasks:") {
          inTasks = true
          continue
        }
        if !line.hasPrefix(" ") && !line.isEmpty { inTasks = false }
        guard inTasks, line.hasPrefix("  "), !line.hasPrefix("   ") else { continue }
        let key = line.dropFirst(2).prefix { $0 != ":" || false }
        let name = line.dropFirst(2).split(separator: ": ", maxSplits: 1).first.map(String.init) ?? String(key)
        let trimmed = name.hasSuffix(":") ? String(name.dropLast()) : name
        if !trimmed.isEmpty, !trimmed.hasPrefix("#"), !trimmed.contains(" ") { names.append(trimmed) }
      }
    }
    return names
  }

  static func environment(of directory: String) -> [String: String] {
    var environment: [String: String] = [:]
    if let text = try? String(contentsOfFile: directory + "/env", encoding: .utf8) {
      for line in text.split(separator: "\n") {
        let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
        if parts.count == 2 { environment[parts[0]] = parts[1] }
      }
    }
    return environment
  }

  /// The first line of each error; a cycle in one spelling whatever task it is read from
  /// (`b -> a -> b` and `a -> b -> a` are one cycle).
  static func errors(_ stderr: String) -> [String] {
    stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }.map { line in
      let head = "error: dependency cycle: "
      guard line.hasPrefix(head) else { return String(line) }
      var names = line.dropFirst(head.count).components(separatedBy: " -> ")
      names.removeLast()
      let start = names.indices.min { names[$0] < names[$1] } ?? 0
      let rotated = Array(names[start...] + names[..<start])
      return head + (rotated + [rotated[0]]).joined(separator: " -> ")
    }
  }

  /// Errors about the words of one command line, which `validate` is not given.
  static func isAboutCommandLine(_ error: String) -> Bool {
    ["unknown task `", "unknown environment `", "is an environment, not", "needs parameter"].contains {
      error.contains($0)
    }
  }

  @Test("what plan or run reports, validate reported first", arguments: BadConfigGoldenTests.cases)
  func agree(_ name: String) async throws {
    let directory = BadConfigGoldenTests.root + "/" + name
    let environment = Self.environment(of: directory)
    let validate = try await CruddurBinary.run(["validate"], in: directory, environment: environment)
    let validated = Set(Self.errors(validate.stderr))
    for task in Self.tasks(in: directory).prefix(4) {
      for arguments in [["plan", task], [task, "--dry-run"], [task]] {
        let result = try await CruddurBinary.run(arguments, in: directory, environment: environment)
        guard result.status == 2 else { continue }
        let missed = Self.errors(result.stderr).filter { !validated.contains($0) && !Self.isAboutCommandLine($0) }
        #expect(missed == [], "\(name): `cruddur \(arguments.joined(separator: " "))` reports what validate did not\n\(validate)")
      }
    }
  }
}
