import CruddurCore
import CruddurProcess
import CruddurTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A moto_server on a free loopback port for one test, stopped at the end.
struct MotoServer {
  let pid: pid_t
  let endpoint: String

  static var environment: [String: String] {
    var env = ProcessInfo.processInfo.environment
    env["AWS_ACCESS_KEY_ID"] = "testing"
    env["AWS_SECRET_ACCESS_KEY"] = "testing"
    env["AWS_DEFAULT_REGION"] = "us-east-1"
    env.removeValue(forKey: "AWS_PROFILE")
    return env
  }

  static func start() async throws -> MotoServer {
    let port = try TestCluster.freePort()
    let log = open("/dev/null", O_WRONLY | O_CLOEXEC)
    defer { close(log) }
    let process = ChildProcess(
      executable: "moto_server", arguments: ["-H", "127.0.0.1", "-p", String(port)], environment: environment)
    let server = MotoServer(pid: try process.spawn(stdout: log, stderr: log), endpoint: "http://127.0.0.1:\(port)")
    let ready = try await eventually(30) {
      (try? await server.aws(["sts", "get-caller-identity"]))?.status == 0
    }
    guard ready else {
      server.stop()
      throw MotoNotReady()
    }
    return server
  }

  struct MotoNotReady: Error {}

  /// Runs the real aws CLI against this server.
  func aws(_ arguments: [String]) async throws -> ChildProcess.Output {
    let process = ChildProcess(
      executable: "aws", arguments: ["--endpoint-url", endpoint, "--output", "text"] + arguments,
      environment: Self.environment)
    return try await Blocking.run { try process.runCollectingOutput() }
  }

  func stop() {
    kill(-pid, SIGTERM)
    _ = ChildProcess.wait(pid)
  }
}

@Suite struct AWSTasksTests {
  @Test("the AWS tasks of tasks/aws.yml against moto_server: security-group rule and RDS lifecycle")
  func awsTasks() async throws {
    let moto = try await MotoServer.start()
    defer { moto.stop() }
    let group = try await moto.aws([
      "ec2", "create-security-group", "--group-name", "cruddur-db", "--description", "db", "--query", "GroupId",
    ])
    let groupID = group.text.trimmingCharacters(in: .whitespacesAndNewlines)
    let rule = try await moto.aws([
      "ec2", "authorize-security-group-ingress", "--group-id", groupID, "--ip-permissions",
      "IpProtocol=tcp,FromPort=5432,ToPort=5432,IpRanges=[{CidrIp=198.51.100.1/32}]",
      "--query", "SecurityGroupRules[0].SecurityGroupRuleId",
    ])
    let ruleID = rule.text.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(ruleID.hasPrefix("sgr-"), "\(rule.text)")

    let project = try TemporaryProject(files: [
      "cruddur.yml": try RepositoryFiles.read("cruddur.yml"),
      "tasks/db.yml": try RepositoryFiles.read("tasks/db.yml"),
      "tasks/aws.yml": try RepositoryFiles.read("tasks/aws.yml"),
      "db/schema.sql": try RepositoryFiles.read("db/schema.sql"),
      "db/seed.sql": try RepositoryFiles.read("db/seed.sql"),
    ])
    defer { project.remove() }
    var env = MotoServer.environment
    env["AWS_ENDPOINT"] = moto.endpoint
    env["DB_SG_ID"] = groupID
    env["DB_SG_RULE_ID"] = ruleID
    func cidr() async throws -> String {
      try await moto.aws([
        "ec2", "describe-security-group-rules", "--security-group-rule-ids", ruleID, "--query",
        "SecurityGroupRules[0].CidrIpv4",
      ]).text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    let variable: [OutputSubstitution] = [
      .durations, .literal(moto.endpoint, as: "<moto>"), .literal(groupID, as: "<group>"), .literal(ruleID, as: "<rule>"),
    ]
    try await project.expect(
      ["aws:sg-allow-me", "--set", "MY_IP=203.0.113.7"], environment: env, stdout: """
      cruddur aws:sg-allow-me on local (postgresql://postgres:****@localhost:5432/cruddur), 1 step
      == aws:sg-allow-me sh: 18-line script
      security group <group> rule <rule> now allows 203.0.113.7/32 on port 5432
         done in <duration>
      ✓ 1 step done in <duration>

      """, stderr: "", normalizing: variable)
    #expect(try await cidr() == "203.0.113.7/32")

    for bad in ["203.0.113.700", "1.2.3", "1.2.3.4/0", "0.0.0.0/0 --dry-run", "$(id)", ""] {
      let refused = try await project.run(["aws:sg-allow-me", "--set", "MY_IP=\(bad)"], environment: env)
      refused.expect(
        stdout: """
          cruddur aws:sg-allow-me on local (postgresql://postgres:****@localhost:5432/cruddur), 1 step
          == aws:sg-allow-me sh: 18-line script
          ✗ run failed after <duration>: 0 done; failed: aws:sg-allow-me

          """,
        stderr: """
          MY_IP must be an IPv4 address such as 203.0.113.7, not '\(bad)'
          == aws:sg-allow-me failed after <duration>, exit status 2
          error: the command exited with status 2

          """, status: 1, normalizing: variable, bad)
    }
    #expect(try await cidr() == "203.0.113.7/32")

    let password = "Rds-pw-\"quoted\" 42"
    var rdsEnv = env
    rdsEnv["DB_PASSWORD"] = password
    func state() async throws -> String {
      try await moto.aws([
        "rds", "describe-db-instances", "--db-instance-identifier", "cruddur-db-instance", "--query",
        "DBInstances[0].DBInstanceStatus",
      ]).text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    // -v shows the commands: the password is masked in them.
    try await project.expect(["aws:rds-create", "-v"], environment: rdsEnv, stdout: """
      cruddur aws:rds-create on local (postgresql://postgres:****@localhost:5432/cruddur), 1 step
      == aws:rds-create sh: 24-line script
      + set -- ; [ -n "${AWS_ENDPOINT:-}" ] && set -- --endpoint-url "$AWS_ENDPOINT"
      + umask 077
      + input=$(mktemp) && trap 'rm -f "$input"' EXIT
      + python3 -c 'import json, os; print(json.dumps({"MasterUserPassword": os.environ["DB_PASSWORD"]}))' > "$input"
      + aws "$@" rds create-db-instance \\
      +   --db-instance-identifier "$DB_INSTANCE_ID" \\
      +   --db-instance-class db.t3.micro \\
      +   --engine postgres \\
      +   --engine-version 14.6 \\
      +   --master-username "$DB_MASTER_USER" \\
      +   --cli-input-json "file://$input" \\
      +   --allocated-storage 20 \\
      +   --availability-zone "$DB_AVAILABILITY_ZONE" \\
      +   --backup-retention-period 0 \\
      +   --port 5432 \\
      +   --no-multi-az \\
      +   --db-name cruddur \\
      +   --storage-type gp2 \\
      +   --publicly-accessible \\
      +   --storage-encrypted \\
      +   --enable-performance-insights \\
      +   --performance-insights-retention-period 7 \\
      +   --no-deletion-protection \\
      +   --query 'DBInstance.[DBInstanceIdentifier,DBInstanceStatus]' --output text
      +\u{20}
      cruddur-db-instance\tavailable
         done in <duration>
      ✓ 1 step done in <duration>

      """, stderr: "", normalizing: variable)
    #expect(try await state() == "available")
    try await project.expect(["aws:rds-stop"], environment: env, stdout: """
      cruddur aws:rds-stop on local (postgresql://postgres:****@localhost:5432/cruddur), 1 step
      == aws:rds-stop sh: 3-line script
      cruddur-db-instance\tstopped
         done in <duration>
      ✓ 1 step done in <duration>

      """, stderr: "", normalizing: variable)
    #expect(try await state() == "stopped")
    try await project.expect(["aws:rds-status"], environment: env, stdout: """
      cruddur aws:rds-status on local (postgresql://postgres:****@localhost:5432/cruddur), 1 step
      == aws:rds-status sh: 3-line script
      cruddur-db-instance\tstopped\tcruddur-db-instance.aaaaaaaaaa.us-east-1.rds.amazonaws.com\t5432
         done in <duration>
      ✓ 1 step done in <duration>

      """, stderr: "", normalizing: variable)
    try await project.expect(["aws:rds-start"], environment: env, stdout: """
      cruddur aws:rds-start on local (postgresql://postgres:****@localhost:5432/cruddur), 1 step
      == aws:rds-start sh: 3-line script
      cruddur-db-instance\tavailable
         done in <duration>
      ✓ 1 step done in <duration>

      """, stderr: "", normalizing: variable)
    #expect(try await state() == "available")

    try await project.expect(["aws:rds-create"], environment: env, stderr: """
      error: task `aws:rds-create` requires `DB_PASSWORD`, which is not set
        --> tasks/aws.yml:31:3
         |
      31 |   aws:rds-create:
         |   ^^^^^^^^^^^^^^
         = help: set it in the environment or with `--set NAME=value`

      """, status: 2, normalizing: variable)
  }
}
