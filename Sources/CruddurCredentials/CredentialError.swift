import CruddurCore

/// A password could not be had from its source. Each kind says what went wrong and what to
/// do; all end the process with status 2 (the configuration, or the access it relies on,
/// has to change). Text from AWS or the command is masked before it is shown.
public struct CredentialError: CruddurError, Equatable {
  public enum Kind: Sendable, Equatable {
    /// No AWS credentials anywhere; `tried` lists the places looked at, in order.
    case noCredentials(tried: [String])
    case noRegion(source: String)
    case unknownProfile(name: String, file: String, known: [String])
    case expired(source: String, message: String)
    /// `action` and `resource` as AWS names them, when its message says.
    case accessDenied(source: String, message: String)
    case notFound(source: String, message: String)
    case awsFailed(source: String, message: String)
    case awsCLIMissing
    case commandFailed(command: String, status: Int32, stderr: [String])
    case commandTimedOut(command: String, seconds: Double)
    case commandPrintedNothing(command: String)
    case keyMissing(source: String, key: String, keys: [String])
    case notJSON(source: String, key: String)
    case tlsRequired(environment: String, sslmode: String)
    case containerCredentialsFailed(url: String, message: String)
  }

  public var kind: Kind
  public init(_ kind: Kind) { self.kind = kind }

  public var exitStatus: ExitStatus { .configError }

  public var diagnostics: [Diagnostic] {
    let (message, help) = words
    // What the command wrote to stderr, a line a note: a message is one line.
    var notes: [Diagnostic.Note] = []
    if case .commandFailed(_, _, let stderr) = kind {
      notes = stderr.suffix(5).map { Diagnostic.Note("stderr: " + Redaction.redact($0)) }
    }
    var diagnostic = Diagnostic.error(Redaction.redact(message), notes: notes, help: help.map(Redaction.redact))
    // The kind travels with its words, so `--format json` names it (`noCredentials`).
    diagnostic.errorKind = kind
    return [diagnostic]
  }

  private var words: (String, String?) {
    switch kind {
    case .noCredentials(let tried):
      return (
        "no AWS credentials found (tried: \(tried.joined(separator: "; ")))",
        "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or name a profile of ~/.aws/credentials with `profile:` or AWS_PROFILE"
      )
    case .noRegion(let source):
      return (
        "no AWS region for \(source)", "add `region:` to the `password:` source, or set AWS_REGION"
      )
    case .unknownProfile(let name, let file, let known):
      return (
        "AWS profile `\(name)` is in neither \(file) nor the credentials file",
        known.isEmpty
          ? "create it with `aws configure --profile \(name)`"
          : "known profiles: \(known.joined(separator: ", "))"
      )
    case .expired(let source, let message):
      return (
        "the AWS session for \(source) has expired: \(message)",
        "refresh the credentials (a new session, `aws sso login`) and run again"
      )
    case .accessDenied(let source, let message):
      return (
        "access denied reading \(source): \(message)",
        "the identity needs permission for that action on that resource (an IAM policy)"
      )
    case .notFound(let source, let message):
      return (
        "\(source) does not exist: \(message)",
        "check the name, the region and the account (profile)"
      )
    case .awsFailed(let source, let message):
      return ("cannot read \(source): \(message)", nil)
    case .awsCLIMissing:
      return (
        "the `aws` command is not installed; cruddur uses it to read Secrets Manager, SSM and to assume roles",
        "install the AWS CLI (`pip install awscli` or the AWS CLI v2 installer)"
      )
    case .commandFailed(let command, let status, _):
      return (
        "the password command `\(command)` exited with status \(status)",
        "run the command yourself to see why; it must print the password on its first line"
      )
    case .commandTimedOut(let command, let seconds):
      return (
        "the password command `\(command)` did not finish within \(seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)) s",
        "raise `timeout:` beside `command:` if it waits for you (a vault unlock prompt)"
      )
    case .commandPrintedNothing(let command):
      return (
        "the password command `\(command)` printed no password",
        "it must print the password on its first line"
      )
    case .keyMissing(let source, let key, let keys):
      return (
        "\(source) has no key `\(key)`",
        keys.isEmpty ? nil : "its keys: \(keys.sorted().joined(separator: ", "))"
      )
    case .notJSON(let source, let key):
      return (
        "\(source) is not a JSON object, so it has no key `\(key)`",
        "drop `key:` to use the whole secret"
      )
    case .tlsRequired(let environment, let sslmode):
      return (
        "an RDS IAM token needs TLS, but environment `\(environment)` sets sslmode=\(sslmode)",
        "use sslmode=require, verify-ca or verify-full (or leave sslmode out: cruddur then requires TLS)"
      )
    case .containerCredentialsFailed(let url, let message):
      return ("cannot read container credentials from \(url): \(message)", nil)
    }
  }
}
