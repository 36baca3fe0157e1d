import CruddurTestSupport
import Foundation
import Testing

/// `error_kind` names the reason whichever module owns it (Core, Postgres, Shell,
/// Credentials), also when a check's reason is carried by a configuration error: before,
/// a missing SQL file or migrations folder said `ProjectConfigError`, a failed password
/// command `CredentialError` and a fleet option on one database `FleetError`, the type.
@Suite struct JSONErrorKindTests {
  static let files = [
    "cruddur.yml": """
    version: 1
    environments:
      local: { default: true, url: "postgresql://postgres:pw@127.0.0.1:1/app" }
    tasks:
      load: { sql: db/missing.sql }
      up: { migrate: db/nomigrations }
      vars: { sql: db/vars.sql }
      s3: { uses: nope }
    """,
    "db/vars.sql": "\\set FOO 1\nselect 1;\n",
  ]

  @Test(
    "a module's reason is named by its code, with its place",
    arguments: [
      (
        "load",
        #"{"column":16,"error_kind":"sqlFileMissing","event":"error","exit_code":2,"file":"cruddur.yml","hint":"paths are relative to the file they are written in (here db/missing.sql)","line":5,"message":"SQL file `db/missing.sql` does not exist"}"#
      ),
      (
        "up",
        #"{"error_kind":"migrationsFolderMissing","event":"error","exit_code":2,"hint":"create one with `cruddur new migration NAME`","message":"migrations folder `db/nomigrations` does not exist"}"#
      ),
      (
        "vars",
        #"{"column":1,"error_kind":"psqlVariable","event":"error","exit_code":2,"file":"db/vars.sql","hint":"only `\\set ON_ERROR_STOP` is accepted; cruddur always stops at the first error","line":1,"message":"psql variables (`\\set FOO`) are not supported"}"#
      ),
      (
        "s3",
        #"{"column":15,"error_kind":"unknownPlugin","event":"error","exit_code":2,"file":"cruddur.yml","hint":"declare it under `plugins:` or put `cruddur-plugin-nope` on PATH","line":5,"message":"no plugin `nope`"}"#
      ),
    ])
  func named(_ task: String, _ expected: String) async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    // Only the task run is in the project, so the other tasks' problems do not come first.
    try project.write("cruddur.yml", Self.only(task))
    let result = try await project.run([task, "--format", "json"])
    #expect(result.stdout == expected + "\n", "\(result)")
    #expect(result.stderr == "", "\(result)")
    #expect(result.status == 2)
  }

  @Test("no error_kind is a type's name, whatever the reason")
  func neverATypeName() async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    for task in ["load", "up", "vars", "s3"] {
      try project.write("cruddur.yml", Self.only(task))
      let result = try await project.run([task, "--format", "json"])
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
        "\(result)")
      let kind = try #require(object["error_kind"] as? String, "\(result)")
      #expect(!kind.hasSuffix("Error") && kind.first?.isLowercase == true, "\(task): \(kind)")
    }
  }

  @Test(
    "a password source that fails before the run (the protected target's checks) is named by its kind"
  )
  func credentialKind() async throws {
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        prod:
          url: "postgresql://u@127.0.0.1:1/d"
          protected: true
          password: { command: "echo nope >&2; exit 3" }
      tasks:
        d: { database: drop }
      """
    ])
    defer { project.remove() }
    let result = try await project.run(["d", "-e", "prod", "--yes", "--format", "json"])
    #expect(
      result.stdout
        == #"{"error_kind":"commandFailed","event":"error","exit_code":2,"hint":"run the command yourself to see why; it must print the password on its first line","message":"the password command `echo nope >&2; exit 3` exited with status 3"}"#
        + "\n", "\(result)")
    #expect(result.status == 2)
  }

  @Test("a fleet option on one database is named by the fleet's kind")
  func fleetKind() async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    try project.write("cruddur.yml", Self.only("load"))
    let result = try await project.run(["load", "--canary", "1", "--format", "json"])
    #expect(
      result.stdout
        == #"{"error_kind":"fleetOptionWithoutFleet","event":"error","exit_code":2,"hint":"declare the fleet with `urls:`, `server:` + `databases:` or `from:` + `query:`","message":"--canary applies to a fleet, and environment `local` is one database"}"#
        + "\n", "\(result)")
    #expect(result.status == 2)
  }

  /// The project file with only `task` (and the environment).
  static func only(_ task: String) -> String {
    let lines = files["cruddur.yml"]!.split(separator: "\n", omittingEmptySubsequences: false)
    return lines.filter {
      !$0.hasPrefix("  ") || $0.hasPrefix("  local:") || $0.hasPrefix("  \(task):")
    }
    .joined(separator: "\n")
  }
}
