import CruddurTestSupport
import Foundation
import Testing

/// A URL the embedded server does not accept gets a hint that leads somewhere: the role it
/// was created for, `cruddur local reset`, and the SQLSTATE in JSON.
@Suite struct EmbeddedHintsTests {
  static func config(user: String, password: String, port: Int) -> String {
    """
    version: 1
    environments:
      local:
        default: true
        embedded: true
        url: postgresql://\(user):\(password)@localhost:\(port)/cruddur
    tasks:
      db:create: { database: create }
    """
  }

  @Test("another role or another password: named, with `cruddur local reset`, and 28P01 in JSON")
  func wrongRoleOrPassword() async throws {
    let port = try TestCluster.freePort()
    let project = try TemporaryProject(files: [
      "cruddur.yml": Self.config(user: "postgres", password: TestCluster.password, port: port)
    ])
    defer { project.remove() }
    let created = try await project.run(["db:create"])
    #expect(created.status == 0, "\(created)")

    try project.write("cruddur.yml", Self.config(user: "nobody", password: TestCluster.password, port: port))
    let role = try await project.run(["db:create"])
    #expect(role.status == 1, "\(role)")
    #expect(
      role.stderr.contains(
        " = help: this project's embedded server (.cruddur/data) was created for role `postgres`, not `nobody`; "
          + "put `postgres` back in the URL of `local`, or start afresh with `cruddur local reset -e local` "
          + "(it deletes the local data)\n"), "\(role)")

    try project.write("cruddur.yml", Self.config(user: "postgres", password: "not-the-password", port: port))
    let password = try await project.run(["db:create", "--format", "json"])
    #expect(password.status == 1, "\(password)")
    let failed = password.stdout.split(separator: "\n").compactMap { line in
      (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }.first { $0["event"] as? String == "step_failed" }
    #expect(failed?["sqlstate"] as? String == "28P01", "\(password)")
    #expect(
      (failed?["hint"] as? String)?.contains("created with another password for `postgres`") == true, "\(password)")
    #expect(!password.stdout.contains("not-the-password"), "\(password)")

    try project.write("cruddur.yml", Self.config(user: "postgres", password: TestCluster.password, port: port))
    #expect(try await project.run(["local", "stop"]).status == 0)
  }
}
