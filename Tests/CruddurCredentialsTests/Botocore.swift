import CruddurCore
import CruddurProcess
import Foundation

/// botocore, the AWS SDK the aws CLI is made of, as the oracle for what cruddur computes
/// natively: `generate_db_auth_token` with the signing time fixed.
enum Botocore {
  struct Failed: Error, CustomStringConvertible { var description: String }

  static let script = """
    import datetime, json, sys
    from unittest import mock
    import botocore.session
    a = json.loads(sys.stdin.read())
    s = botocore.session.Session()
    s.set_credentials(a["key"], a["secret"], a.get("token"))
    c = s.create_client("rds", region_name=a["region"])
    at = datetime.datetime.fromtimestamp(a["time"], datetime.timezone.utc).replace(tzinfo=None)
    with mock.patch("botocore.auth.get_current_datetime", return_value=at):
        print(c.generate_db_auth_token(DBHostname=a["host"], Port=a["port"], DBUsername=a["user"]))
    """

  static func rdsToken(
    host: String, port: Int, user: String, region: String, key: String, secret: String,
    token: String?, time: Date
  ) async throws -> String {
    var input: [String: Any] = [
      "host": host, "port": port, "user": user, "region": region, "key": key, "secret": secret,
      "time": Int(time.timeIntervalSince1970),
    ]
    if let token { input["token"] = token }
    let data = try JSONSerialization.data(withJSONObject: input)
    // No AWS_* variables or files: the oracle must use exactly the credentials given.
    let environment = [
      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
      "HOME": "/nonexistent",
    ]
    let process = ChildProcess(
      executable: "python3", arguments: ["-c", script], environment: environment)
    let output = try await Blocking.run {
      try process.runCollectingOutput(stdin: data, deadline: .seconds(60))
    }
    guard output.status == 0 else { throw Failed(description: output.text) }
    return output.text.trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
