import CruddurCore
import CruddurCredentials
import CruddurProcess
import CruddurTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Secrets Manager, SSM Parameter Store, AssumeRole and RDS IAM tokens, end to end: the
/// built binary, the real aws CLI against a moto_server on loopback, a real PostgreSQL
/// (or, for IAM tokens, a protocol peer), and the scan for the password everywhere.
@Suite(.postgresCluster) struct AWSPasswordTests {
  static var cluster: TestCluster { TestCluster.required }

  static func project(_ environment: String) throws -> TemporaryProject {
    try PasswordSourceRunTests.project(environment)
  }

  @Test(
    "Secrets Manager (plain, then RDS-managed JSON filling the user) and SSM SecureString log in; rotated between runs"
  )
  func secretsAndParameters() async throws {
    let moto = try await Moto.start()
    defer { moto.stop() }
    let files = try TemporaryDirectory(prefix: "cruddur-values")
    defer { files.remove() }
    let first = "sm-\(UUID().uuidString)"
    let role = try await PasswordSourceRunTests.role(password: first)
    try await moto.must([
      "secretsmanager", "create-secret", "--name", "prod/db", "--secret-string",
      try Moto.file(first, in: files.path),
    ])
    let project = try Self.project(
      """
      url: postgresql://\(role)@127.0.0.1:\(Self.cluster.port)/postgres
      password: { aws_secret: prod/db }
      """)
    defer { project.remove() }
    var scan = SecretScan([first])
    let plain = try await PasswordSourceRunTests.scanned(
      project, ["who"], environment: moto.environment, scan: scan)
    #expect(plain.status == 0, "\(plain)")
    #expect(plain.stdout.contains(" \(role)\n"), "\(plain)")

    // Rotation, as RDS does it: the server's password and the secret change together; the
    // next run reads the new one. The secret becomes RDS's JSON shape, which also names the
    // user: the URL no longer does.
    let second = "sm2-\(UUID().uuidString)"
    _ = try await Self.cluster.query("alter role \(role) password '\(second)'")
    let json =
      #"{"username":"\#(role)","password":"\#(second)","engine":"postgres","host":"127.0.0.1","port":\#(Self.cluster.port),"dbname":"postgres"}"#
    try await moto.must([
      "secretsmanager", "put-secret-value", "--secret-id", "prod/db", "--secret-string",
      try Moto.file(json, in: files.path),
    ])
    try project.write(
      "cruddur.yml",
      (try String(contentsOfFile: project.path + "/cruddur.yml", encoding: .utf8))
        .replacingOccurrences(
          of: "postgresql://\(role)@", with: "postgresql://"))
    scan = SecretScan([first, second])
    let rotated = try await PasswordSourceRunTests.scanned(
      project, ["who", "--format", "json"], environment: moto.environment, scan: scan)
    #expect(rotated.status == 0, "\(rotated)")
    #expect(rotated.stdout.contains(#""who":"\#(role)""#), "\(rotated)")

    // Hostile twin: the server's password changed, the secret did not: refused after one
    // more read of the secret, the password masked.
    _ = try await Self.cluster.query("alter role \(role) password 'elsewhere-\(UUID().uuidString)'")
    let stale = try await PasswordSourceRunTests.scanned(
      project, ["who"], environment: moto.environment, scan: scan)
    #expect(stale.status == 1, "\(stale)")
    #expect(
      stale.stderr.contains("password authentication failed for user \"\(role)\""), "\(stale)")

    let parameter = "ssm-\(UUID().uuidString)"
    _ = try await Self.cluster.query("alter role \(role) password '\(parameter)'")
    try await moto.must([
      "ssm", "put-parameter", "--name", "/cruddur/db-password", "--type", "SecureString", "--value",
      try Moto.file(parameter, in: files.path),
    ])
    try project.write(
      "cruddur.yml",
      """
      version: 1
      environments:
        prod:
          url: postgresql://\(role)@127.0.0.1:\(Self.cluster.port)/postgres
          password: { aws_ssm: /cruddur/db-password }
      tasks:
        who: { query: "select current_user as who" }

      """)
    scan = SecretScan([first, second, parameter])
    let ssm = try await PasswordSourceRunTests.scanned(
      project, ["who", "--format", "json"], environment: moto.environment, scan: scan)
    #expect(ssm.status == 0, "\(ssm)")
    #expect(ssm.stdout.contains(#""who":"\#(role)""#), "\(ssm)")
    PasswordSourceRunTests.checkLeftovers(project, scan: scan)
    #expect(scan.places == [])
  }

  @Test("a missing secret or parameter, and no credentials at all: exit 2, what to do")
  func missing() async throws {
    let moto = try await Moto.start()
    defer { moto.stop() }
    let project = try Self.project(
      """
      url: postgresql://app@127.0.0.1:\(Self.cluster.port)/postgres
      password: { aws_secret: prod/nope }
      """)
    defer { project.remove() }
    let secret = try await project.run(["who"], environment: moto.environment)
    #expect(secret.status == 2, "\(secret)")
    #expect(
      secret.stderr.contains(
        "\nerror: Secrets Manager secret `prod/nope` does not exist: Secrets Manager can't find the specified secret.\n"
      ), "\(secret)")
    #expect(
      secret.stderr.contains("= help: check the name, the region and the account (profile)"),
      "\(secret)")

    try project.write(
      "cruddur.yml",
      """
      version: 1
      environments:
        prod:
          url: postgresql://app@127.0.0.1:\(Self.cluster.port)/postgres
          password: { aws_ssm: /nope }
      tasks:
        who: { query: "select 1" }

      """)
    let parameter = try await project.run(["who"], environment: moto.environment)
    #expect(parameter.status == 2, "\(parameter)")
    #expect(
      parameter.stderr.contains(
        "\nerror: SSM parameter `/nope` does not exist: Parameter /nope not found.\n"),
      "\(parameter)")

    try project.write(
      "cruddur.yml",
      """
      version: 1
      environments:
        prod:
          url: postgresql://app@127.0.0.1:\(Self.cluster.port)/postgres
          password: { aws_rds_iam: { region: us-east-1 } }
      tasks:
        who: { query: "select 1" }

      """)
    let none = try await project.run(["who"])
    #expect(none.status == 2, "\(none)")
    #expect(
      none.stderr.contains(
        "\nerror: no AWS credentials found (tried: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; profile `default` in "
      ),
      "\(none)")
    #expect(none.stderr.contains("container credentials"), "\(none)")
  }

  @Test("an RDS IAM token reaches the server over TLS, exactly botocore's for its signing second")
  func rdsIAMToken() async throws {
    let peer = try await PasswordPeer()
    defer { peer.stop() }
    let project = try Self.project(
      """
      url: postgresql://iam_user@127.0.0.1:\(peer.port)/app
      password: { aws_rds_iam: { region: eu-central-1 } }
      """)
    defer { project.remove() }
    let key = "AKIAIOSFODNN7EXAMPLE"
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY-\(UUID().uuidString.prefix(8))"
    let environment = [
      "AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret,
      "AWS_SESSION_TOKEN": "session-\(UUID())",
    ]
    // The key pair is the user's own, in cruddur's environment on purpose; the token (its
    // signature) must be nowhere but on the wire.
    let scan = SecretScan(["X-Amz-Signature="])
    let run = try await PasswordSourceRunTests.scanned(
      project, ["who"], environment: environment, scan: scan)
    // The peer refuses every login: cruddur reports it as a connection failure.
    #expect(run.status == 1, "\(run)")
    let received = try #require(await peer.next())
    #expect(received.user == "iam_user")
    #expect(received.tls)
    let stamp = try #require(
      received.password.firstMatch(of: /X-Amz-Date=(\d{8}T\d{6}Z)/)?.output.1)
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
    let signedAt = try #require(formatter.date(from: String(stamp)))
    let expected = try await Botocore.rdsToken(
      host: "127.0.0.1", port: peer.port, user: "iam_user", region: "eu-central-1", key: key,
      secret: secret,
      token: environment["AWS_SESSION_TOKEN"], time: signedAt)
    #expect(received.password == expected)
    #expect(scan.places == [])
    #expect(!run.output.contains(secret))

    // Hostile twin: a URL that turns TLS off is refused before anything is sent.
    try project.write(
      "cruddur.yml",
      """
      version: 1
      environments:
        prod:
          url: postgresql://iam_user@127.0.0.1:\(peer.port)/app?sslmode=prefer
          password: { aws_rds_iam: { region: eu-central-1 } }
      tasks:
        who: { query: "select 1" }

      """)
    let plain = try await project.run(["who"], environment: environment)
    #expect(plain.status == 2, "\(plain)")
    #expect(
      plain.stderr.replacing(/after \d+ ms/, with: "after <duration>")
        == """
        == who failed after <duration>
        error: an RDS IAM token needs TLS, but environment `prod` sets sslmode=prefer
         = help: use sslmode=require, verify-ca or verify-full (or leave sslmode out: cruddur then requires TLS)

        """, "\(plain)")
  }

  @Test(
    "a profile with role_arn and source_profile: AssumeRole through STS, for a secret and for a token"
  )
  func assumeRole() async throws {
    let moto = try await Moto.start()
    defer { moto.stop() }
    let peer = try await PasswordPeer()
    defer { peer.stop() }
    let files = try TemporaryDirectory(prefix: "cruddur-values")
    defer { files.remove() }
    let password = "role-\(UUID().uuidString)"
    let role = try await PasswordSourceRunTests.role(password: password)
    try await moto.must([
      "secretsmanager", "create-secret", "--name", "team/db", "--secret-string",
      try Moto.file(password, in: files.path),
    ])
    let project = try Self.project(
      """
      url: postgresql://\(role)@127.0.0.1:\(Self.cluster.port)/postgres
      password: { aws_secret: team/db, profile: deploy }
      """)
    defer { project.remove() }
    // HOME is the project folder in these runs: its ~/.aws is the user's.
    try project.write(
      ".aws/config",
      """
      [profile base]
      region = us-east-1
      [profile deploy]
      role_arn = arn:aws:iam::123456789012:role/deploy
      source_profile = base
      region = us-east-1

      """)
    try project.write(
      ".aws/credentials",
      "[base]\naws_access_key_id = AKIABASEEXAMPLE\naws_secret_access_key = base-secret\n")
    let environment = ["AWS_ENDPOINT_URL": moto.endpoint]
    let scan = SecretScan([password])
    let run = try await PasswordSourceRunTests.scanned(
      project, ["who"], environment: environment, scan: scan)
    #expect(run.status == 0, "\(run)")
    #expect(run.stdout.contains(" \(role)\n"), "\(run)")
    #expect(scan.places == [])

    try project.write(
      "cruddur.yml",
      """
      version: 1
      environments:
        prod:
          url: postgresql://iam_user@127.0.0.1:\(peer.port)/app
          password: { aws_rds_iam: { profile: deploy } }
      tasks:
        who: { query: "select 1" }

      """)
    let token = try await project.run(["who"], environment: environment)
    #expect(token.status == 1, "\(token)")
    let received = try #require(await peer.next())
    // Signed with the role's temporary key (moto's start with ASIA) and its session token,
    // not with the source profile's.
    #expect(received.password.contains("X-Amz-Credential=ASIA"), "\(received.password)")
    #expect(received.password.contains("X-Amz-Security-Token="))
    #expect(received.password.contains("%2Fus-east-1%2Frds-db%2Faws4_request"))
  }

  @Test(
    "a secret rotated during a run: the next connection is refused, the secret read again, and it logs in"
  )
  func rotationDuringRun() async throws {
    let moto = try await Moto.start()
    defer { moto.stop() }
    let files = try TemporaryDirectory(prefix: "cruddur-values")
    defer { files.remove() }
    let before = "before-\(UUID().uuidString)"
    let after = "after-\(UUID().uuidString)"
    let role = try await PasswordSourceRunTests.role(password: before)
    // The first step's database; the last one's is the server's maintenance database, so it
    // needs a connection of its own, made after the rotation.
    let database = TestCluster.uniqueDatabaseName("rotation")
    _ = try await Self.cluster.query("create database \(database)")
    try await moto.must([
      "secretsmanager", "create-secret", "--name", "prod/db", "--secret-string",
      try Moto.file(before, in: files.path),
    ])
    try after.write(toFile: files.path + "/after", atomically: true, encoding: .utf8)
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        prod:
          url: postgresql://\(role)@127.0.0.1:\(Self.cluster.port)/\(database)
          password: { aws_secret: prod/db }
      tasks:
        first: { query: "select current_user as first" }
        # What RDS's rotation does: the server's password and the secret change together.
        rotate:
          deps: [first]
          destructive: false
          shell: |
            set -e
            psql -X -q -d "host=127.0.0.1 port=\(Self.cluster.port) user=postgres dbname=postgres" \\
              -c "alter role \(role) password '$(cat '\(files.path)/after')'"
            aws secretsmanager put-secret-value --secret-id prod/db \\
              --secret-string 'file://\(files.path)/after' --output text > /dev/null
        # Another database is another connection, made with the password read before.
        second: { deps: [rotate], query: "select current_user as second", on: maintenance }

      """
    ])
    defer { project.remove() }
    var environment = moto.environment
    environment["PGPASSWORD"] = TestCluster.password
    environment["PATH"] =
      "/usr/lib/postgresql/15/bin:"
      + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    let run = try await project.run(["second", "--format", "json"], environment: environment)
    #expect(run.status == 0, "\(run)")
    #expect(run.stdout.contains(#""second":"\#(role)""#), "\(run)")
    #expect(!run.output.contains(before) && !run.output.contains(after))
  }

  @Test("an identity without permission: access denied, naming the action, exit 2")
  func accessDenied() async throws {
    // Three requests go unchecked (the set-up below); every later one needs a policy.
    let moto = try await Moto.start(unauthenticatedActions: 3)
    defer { moto.stop() }
    try await moto.must([
      "secretsmanager", "create-secret", "--name", "prod/db", "--secret-string", "unused",
    ])
    try await moto.must(["iam", "create-user", "--user-name", "reader"])
    let keys = try await moto.must([
      "iam", "create-access-key", "--user-name", "reader", "--query",
      "AccessKey.[AccessKeyId,SecretAccessKey]",
    ]).split(separator: "\t").map(String.init)
    try #require(keys.count == 2)
    let project = try Self.project(
      """
      url: postgresql://app@127.0.0.1:\(Self.cluster.port)/postgres
      password: { aws_secret: prod/db }
      """)
    defer { project.remove() }
    var environment = moto.environment
    environment["AWS_ACCESS_KEY_ID"] = keys[0]
    environment["AWS_SECRET_ACCESS_KEY"] = keys[1]
    let denied = try await project.run(["who"], environment: environment)
    #expect(denied.status == 2, "\(denied)")
    #expect(
      denied.stderr.contains(
        """
        error: access denied reading Secrets Manager secret `prod/db`: User: arn:aws:iam::123456789012:user/reader \
        is not authorized to perform: secretsmanager:GetSecretValue
         = help: the identity needs permission for that action on that resource (an IAM policy)
        """), "\(denied)")
    #expect(!denied.output.contains(keys[1]))
  }

  @Test("container credentials (ECS, EKS Pod Identity): fetched with the authorization token, then signed with")
  func containerCredentials() async throws {
    let peer = try await PasswordPeer()
    defer { peer.stop() }
    let endpoint = try await ContainerEndpoint.start(token: "Bearer container-\(UUID().uuidString)")
    defer { endpoint.stop() }
    let project = try Self.project(
      """
      url: postgresql://iam_user@127.0.0.1:\(peer.port)/app
      password: { aws_rds_iam: { region: us-west-2 } }
      """)
    defer { project.remove() }
    let environment = [
      "AWS_CONTAINER_CREDENTIALS_FULL_URI": endpoint.url, "AWS_CONTAINER_AUTHORIZATION_TOKEN": endpoint.token,
    ]
    let run = try await project.run(["who"], environment: environment)
    #expect(run.status == 1, "\(run)")
    let received = try #require(await peer.next())
    #expect(received.password.contains("X-Amz-Credential=ASIACONTAINEREXAMPLE%2F"), "\(received.password)")
    #expect(received.password.contains("X-Amz-Security-Token=container-session"), "\(received.password)")

    // Hostile twin: the endpoint refuses a wrong token; cruddur says where it asked.
    let refused = try await project.run(
      ["who"], environment: environment.merging(["AWS_CONTAINER_AUTHORIZATION_TOKEN": "wrong"]) { _, new in new })
    #expect(refused.status == 2, "\(refused)")
    #expect(
      refused.stderr.contains("error: cannot read container credentials from \(endpoint.url): HTTP status 401"),
      "\(refused)")
  }
}

/// A container credentials endpoint on loopback (what ECS and EKS run beside a task): a
/// small Python HTTP server answering one path, for one authorization token.
struct ContainerEndpoint {
  let pid: pid_t
  let url: String
  let token: String

  static let script = #"""
    import http.server, json, sys
    token = sys.argv[1]
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            ok = self.path == "/v2/credentials" and self.headers.get("Authorization") == token
            body = json.dumps({"AccessKeyId": "ASIACONTAINEREXAMPLE", "SecretAccessKey": "container-secret",
                               "Token": "container-session", "Expiration": "2099-01-01T00:00:00Z"}).encode()
            self.send_response(200 if ok else 401)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            if ok:
                self.wfile.write(body)
        def log_message(self, *args):
            pass
    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
    """#

  static func start(token: String) async throws -> ContainerEndpoint {
    var pipe: [Int32] = [0, 0]
    guard Glibc.pipe(&pipe) == 0 else { throw PasswordPeer.NotReady() }
    _ = fcntl(pipe[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(pipe[1], F_SETFD, FD_CLOEXEC)
    let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
    defer { close(null) }
    let process = ChildProcess(
      executable: "python3", arguments: ["-c", script, token],
      environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
    let pid = try process.spawn(stdout: pipe[1], stderr: null)
    close(pipe[1])
    defer { close(pipe[0]) }
    let fd = pipe[0]
    let line = try await Blocking.run { () -> String in
      var bytes: [UInt8] = []
      var byte: UInt8 = 0
      while read(fd, &byte, 1) == 1, byte != UInt8(ascii: "\n") { bytes.append(byte) }
      return String(decoding: bytes, as: UTF8.self)
    }
    guard let port = Int(line) else {
      kill(-pid, SIGKILL)
      _ = ChildProcess.wait(pid)
      throw PasswordPeer.NotReady()
    }
    return ContainerEndpoint(pid: pid, url: "http://127.0.0.1:\(port)/v2/credentials", token: token)
  }

  func stop() {
    kill(-pid, SIGTERM)
    _ = ChildProcess.wait(pid)
  }
}
