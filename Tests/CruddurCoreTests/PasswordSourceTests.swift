import CruddurCore
import Foundation
import Testing

/// `password:` on an environment: each source decoded to plain data, every key checked,
/// and what a plan says about it; nothing is fetched.
@Suite struct PasswordSourceTests {
  func load(_ environments: String) throws -> (Project, [Diagnostic]) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "cruddur-password-\(UUID())"
    ).path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try ("version: 1\nenvironments:\n" + environments).write(
      toFile: directory + "/cruddur.yml", atomically: false, encoding: .utf8)
    return ProjectDecoder(registry: ExecutorRegistry([])).load(
      configPath: directory + "/cruddur.yml")
  }

  func resolved(_ project: Project, _ name: String, variables: [String: String] = [:]) throws
    -> ResolvedEnvironment
  {
    let resolver = EnvironmentResolver(project: project)
    let spec = try #require(project.environment(named: name))
    let scope = try resolver.scope(for: spec, overrides: [:], processEnvironment: variables)
    return try resolver.resolve(spec, in: scope)
  }

  @Test("each source decodes to what the plan says, with variables rendered")
  func sources() throws {
    let (project, diagnostics) = try load(
      """
        iam:
          url: postgresql://app@db.abc.us-east-1.rds.amazonaws.com:5432/app?sslmode=verify-full
          password: { aws_rds_iam: { region: us-east-1, profile: prod } }
        secret:
          url: postgresql://app@db:5432/app
          password: { aws_secret: "${STAGE}/db", key: password, region: eu-west-1 }
        ssm:
          url: postgresql://app@db:5432/app
          password: { aws_ssm: /cruddur/db-password }
        vault:
          url: postgresql://app@db:5432/app
          password: { command: "op read op://vault/db/password", timeout: 5s }
      """)
    #expect(diagnostics.map(\.message) == [])
    let iam = try resolved(project, "iam").password
    #expect(iam == PasswordSource(.awsRDSIAM, region: "us-east-1", profile: "prod"))
    #expect(
      iam?.description == "RDS IAM token, minted per connection (region us-east-1, profile prod)")
    let secret = try resolved(project, "secret", variables: ["STAGE": "prod"]).password
    #expect(
      secret == PasswordSource(.awsSecret(id: "prod/db", key: "password"), region: "eu-west-1"))
    #expect(
      secret?.description == "Secrets Manager secret `prod/db`, key `password` (region eu-west-1)")
    #expect(
      try resolved(project, "ssm").password?.description == "SSM parameter `/cruddur/db-password`")
    let vault = try resolved(project, "vault").password
    #expect(vault == PasswordSource(.command("op read op://vault/db/password", timeoutSeconds: 5)))
    #expect(vault?.description == "the output of `op read op://vault/db/password`")
  }

  @Test("a misspelt, misplaced or doubled key is an error at its place, with a suggestion")
  func hostile() throws {
    let (_, diagnostics) = try load(
      """
        a:
          url: postgresql://app@db/app
          password: { aws_secert: prod/db }
        b:
          url: postgresql://app@db/app
          password: { aws_ssm: /p, key: password }
        c:
          url: postgresql://app@db/app
          password: { aws_ssm: /p, command: cat pw }
        d:
          url: postgresql://app@db/app
          password: { aws_rds_iam: { regoin: us-east-1 } }
        e:
          url: postgresql://app@db/app
          password: { command: "  ", timeout: 0s }
        f:
          url: postgresql://app@db/app
          password: hunter2
        g:
          url: postgresql://app@db/app
          password: { aws_rds_iam: {}, region: us-east-1 }
        h:
          url: postgresql://app@db/app
          password: { key: password }
      """)
    #expect(
      diagnostics.map(\.message) == [
        "unknown key `aws_secert` in `password` of environment `a`",
        "unknown key `key` in `password` of environment `b` with `aws_ssm`",
        "`password` of environment `c` must name exactly one of `aws_rds_iam`, `aws_secret`, `aws_ssm` or `command`, found `aws_ssm` and `command`",
        "unknown key `regoin` in `aws_rds_iam`",
        "`timeout` of the password command must be more than 0 seconds, found `0s`",
        "`command` must not be empty",
        "`password` of environment `f` must be a mapping with one of `aws_rds_iam`, `aws_secret`, `aws_ssm` or `command`, found a string",
        "unknown key `region` in `password` of environment `g` with `aws_rds_iam` (inside `aws_rds_iam:`)",
        "`password` of environment `h` must name exactly one of `aws_rds_iam`, `aws_secret`, `aws_ssm` or `command`, found none",
      ])
    #expect(
      diagnostics.map(\.label) == [
        "did you mean `aws_secret`?", nil, nil, "did you mean `region`?", nil, nil, nil, nil, nil,
      ])
    #expect(
      diagnostics[0].location
        == SourceLocation(path: "cruddur.yml", line: 5, column: 17, length: 10))
    #expect(diagnostics[2].location?.line == 11)
  }

  @Test("`pasword` on an environment suggests `password`")
  func environmentKey() throws {
    let (_, diagnostics) = try load(
      "  a: { url: 'postgresql://app@db/app', pasword: { command: cat pw } }\n")
    #expect(
      diagnostics.map(\.kind) == [
        .unknownKey(key: "pasword", in: "environment `a`", suggestion: "password")
      ])
  }

  @Test("a URL with a password of its own and `password:` is refused, not one of them ignored")
  func twoPasswords() throws {
    let (project, diagnostics) = try load(
      """
        prod:
          url: postgresql://app:hunter22@db/app
          password: { command: cat pw }
      """)
    #expect(diagnostics.map(\.message) == [])
    #expect(throws: ConfigError.self) { try resolved(project, "prod") }
    do {
      _ = try resolved(project, "prod")
    } catch let error as ConfigError {
      #expect(
        error.kinds == [
          .invalidValue(
            what: "the URL of `prod`",
            requirement: "hold no password when `password:` says where it comes from",
            found: "a password in it and `password:`", suggestion: nil)
        ])
    }
  }
}
