import CruddurCore
import CruddurProcess
import Foundation
import Synchronization

/// One call of the `aws` CLI as a child process, the way cruddur speaks to AWS services
/// (why: docs/credentials.md). The answer arrives on the child's stdout, into memory; the
/// child's argv holds names, never a secret; its environment is the user's own, so the
/// CLI's whole credential chain, profiles and `AWS_ENDPOINT_URL` apply as they do in a shell.
struct AWSCommand: Sendable {
  var environment: [String: String]
  var region: String?
  var profile: String?

  /// Runs `aws ARGUMENTS --output json` and returns the decoded JSON object; AWS's error
  /// codes become `CredentialError` kinds, naming `source` (the secret or parameter).
  func json(_ arguments: [String], source: String) async throws -> [String: Any] {
    var all = arguments + ["--output", "json"]
    if let region { all += ["--region", region] }
    if let profile { all += ["--profile", profile] }
    let process = ChildProcess(executable: "aws", arguments: all, environment: environment)
    let collected = Mutex<(stdout: [String], stderr: [String])>(([], []))
    let termination: ChildProcess.Termination
    do {
      termination = try await process.run(timeout: .seconds(60)) { line, stream in
        collected.withLock { stream == .stdout ? $0.stdout.append(line) : $0.stderr.append(line) }
      }
    } catch let error as ChildProcess.SpawnError where error.code == ENOENT {
      throw CredentialError(.awsCLIMissing)
    }
    let (stdout, stderr) = collected.withLock { $0 }
    guard termination.status == 0 else {
      throw Self.error(
        stderr: stderr.joined(separator: "\n"), source: source, timedOut: termination.isTimedOut)
    }
    let text = stdout.joined(separator: "\n")
    guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    else {
      throw CredentialError(.awsFailed(source: source, message: "the aws CLI's answer is not JSON"))
    }
    return object
  }

  /// `An error occurred (CODE) when calling the OP operation: MESSAGE`, the CLI's shape
  /// for a service error; anything else (no credentials, no region) is its own sentence.
  static func error(stderr: String, source: String, timedOut: Bool) -> CredentialError {
    let text = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
    if timedOut {
      return CredentialError(.awsFailed(source: source, message: "no answer from AWS within 60 s"))
    }
    if text.contains("Unable to locate credentials") || text.contains("NoCredentialsError") {
      return CredentialError(.noCredentials(tried: Self.triedByCLI))
    }
    if text.contains("You must specify a region") {
      return CredentialError(.noRegion(source: source))
    }
    if let range = text.range(of: "The config profile ("),
      let end = text[range.upperBound...].firstIndex(of: ")")
    {
      return CredentialError(
        .unknownProfile(
          name: String(text[range.upperBound..<end]), file: "~/.aws/config", known: []))
    }
    let line =
      text.split(separator: "\n").last { $0.contains("An error occurred (") }.map(String.init)
      ?? text
    guard let open = line.range(of: "An error occurred ("),
      let close = line[open.upperBound...].firstIndex(of: ")")
    else {
      return CredentialError(
        .awsFailed(source: source, message: line.isEmpty ? "the aws CLI failed" : line))
    }
    var code = String(line[open.upperBound..<close])
    var message = line.range(of: "operation: ").map { String(line[$0.upperBound...]) } ?? line
    // A query-protocol error body the CLI could not parse (moto's 403s): `(403) … <Code>…`.
    if code.allSatisfy(\.isNumber), let inner = element("Code", in: text) {
      code = inner
      message = element("Message", in: text) ?? message
    }
    switch code {
    case "ResourceNotFoundException", "ParameterNotFound", "NoSuchEntity":
      return CredentialError(.notFound(source: source, message: message))
    case "AccessDeniedException", "AccessDenied", "UnauthorizedOperation",
      "UnrecognizedClientException",
      "InvalidClientTokenId", "SignatureDoesNotMatch", "KMS.AccessDeniedException":
      return CredentialError(.accessDenied(source: source, message: message))
    case "ExpiredToken", "ExpiredTokenException", "RequestExpired":
      return CredentialError(.expired(source: source, message: message))
    default:
      return CredentialError(.awsFailed(source: source, message: "\(code): \(message)"))
    }
  }

  /// The text of the first `<name>…</name>` in `xml`.
  static func element(_ name: String, in xml: String) -> String? {
    guard let start = xml.range(of: "<\(name)>"),
      let end = xml.range(of: "</\(name)>", range: start.upperBound..<xml.endIndex)
    else { return nil }
    return String(xml[start.upperBound..<end.lowerBound])
  }

  static let triedByCLI = [
    "`--profile`/AWS_PROFILE", "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", "~/.aws/credentials",
    "~/.aws/config",
    "container credentials", "instance metadata",
  ]
}
