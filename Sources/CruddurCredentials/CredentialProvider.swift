import CruddurCore
import Foundation
import Synchronization

/// Fetches or mints passwords for `password:` sources, at connect time, into memory only:
/// a secret, parameter or command output once per run (again after the server refused it:
/// rotation), an RDS IAM token for every new connection from credentials found once.
public final class CredentialProvider: PasswordProvider {
  let environment: [String: String]
  /// The signing time of IAM tokens; injectable so a test can compare with botocore.
  let clock: @Sendable () -> Date
  let onCommandStderr: @Sendable (String) -> Void
  /// One fetch per source, shared: steps that connect at once (`-j`) wait for the same
  /// aws CLI call or command rather than each starting one.
  private let fetches = Mutex<[PasswordSource: Task<ProvidedCredential, any Error>]>([:])
  private let awsCredentials = Mutex<[String: AWSCredentials]>([:])

  public init(
    environment: [String: String], clock: @escaping @Sendable () -> Date = { Date() },
    onCommandStderr: @escaping @Sendable (String) -> Void = { _ in }
  ) {
    self.environment = environment
    self.clock = clock
    self.onCommandStderr = onCommandStderr
  }

  public func credential(for request: PasswordRequest) async throws -> ProvidedCredential {
    let source = request.source
    if case .awsRDSIAM = source.kind { return try await rdsToken(request) }
    let fetch = fetches.withLock { fetches in
      if !request.afterRefusal, let shared = fetches[source] { return shared }
      let fetch = Task { try await self.fetch(source) }
      fetches[source] = fetch
      return fetch
    }
    do {
      // Ctrl-C stops the command or the aws CLI (their process groups), as a step's would.
      return try await withTaskCancellationHandler {
        try await fetch.value
      } onCancel: {
        fetch.cancel()
      }
    } catch {
      // A failure is not kept: the next connection tries again.
      fetches.withLock { if $0[source] == fetch { $0[source] = nil } }
      throw error
    }
  }

  private func fetch(_ source: PasswordSource) async throws -> ProvidedCredential {
    switch source.kind {
    case .awsRDSIAM:
      // Minted per connection by `rdsToken`, never fetched and shared: the caller above
      // takes that path first, so this is reported, not trapped, if it is ever reached.
      throw CredentialError(.awsFailed(source: source.description, message: "an IAM token is minted per connection"))
    case .awsSecret(let id, let key):
      return try await secret(id, key: key, source: source)
    case .awsSSM(let name):
      return try await parameter(name, source: source)
    case .command(let command, let timeout):
      return try await PasswordCommand(
        command: command, timeoutSeconds: timeout, environment: environment,
        onStderr: onCommandStderr
      ).run()
    }
  }

  /// A new token per connection: each is valid 15 minutes from its own signing, so a long
  /// run or a fleet never connects with a stale one.
  func rdsToken(_ request: PasswordRequest) async throws -> ProvidedCredential {
    if let mode = request.sslmode, !["require", "verify-ca", "verify-full"].contains(mode) {
      throw CredentialError(.tlsRequired(environment: request.environment, sslmode: mode))
    }
    let region = try region(for: request.source, host: request.target.host)
    let key = "\(request.source.profile ?? "")|\(region)"
    let credentials: AWSCredentials
    if let known = awsCredentials.withLock({ $0[key] }) {
      credentials = known
    } else {
      credentials = try await AWSCredentialChain(environment: environment)
        .credentials(profile: request.source.profile, region: region)
      awsCredentials.withLock { $0[key] = credentials }
    }
    let token = RDSAuthToken.make(
      host: request.target.host, port: Int(request.target.port) ?? 5432, user: request.target.user,
      region: region,
      credentials: credentials, signedAt: clock())
    return ProvidedCredential(password: token, requiresTLS: true, isMasked: false)
  }

  /// `region:`, else AWS_REGION / AWS_DEFAULT_REGION, else the profile's `region`, else the
  /// one in an RDS endpoint's name (`db.xyz.eu-west-1.rds.amazonaws.com`).
  func region(for source: PasswordSource, host: String) throws -> String {
    if let region = source.region { return region }
    for name in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
      if let value = environment[name], !value.isEmpty { return value }
    }
    let profile = source.profile ?? environment["AWS_PROFILE"] ?? "default"
    if let region = AWSSharedConfig.load(environment: environment).config[profile]?["region"] {
      return region
    }
    let labels = host.split(separator: ".")
    if host.hasSuffix(".rds.amazonaws.com"), labels.count >= 5 {
      return String(labels[labels.count - 4])
    }
    throw CredentialError(.noRegion(source: source.description))
  }

  private func command(for source: PasswordSource) -> AWSCommand {
    AWSCommand(environment: environment, region: source.region, profile: source.profile)
  }

  /// A plain secret is the password; a JSON one gives `key` (`password` when no key is
  /// named), and an RDS-managed one (`username` and `password`) the user name too.
  func secret(_ id: String, key: String?, source: PasswordSource) async throws -> ProvidedCredential
  {
    let what = "Secrets Manager secret `\(id)`"
    let answer = try await command(for: source).json(
      ["secretsmanager", "get-secret-value", "--secret-id", id], source: what)
    guard let text = answer["SecretString"] as? String else {
      throw CredentialError(.awsFailed(source: what, message: "it holds binary data, not a string"))
    }
    Redaction.remember(secret: text)
    let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    guard let object else {
      if let key { throw CredentialError(.notJSON(source: what, key: key)) }
      return ProvidedCredential(password: text)
    }
    let field = key ?? "password"
    guard let value = object[field] else {
      if key == nil { return ProvidedCredential(password: text) }
      throw CredentialError(.keyMissing(source: what, key: field, keys: Array(object.keys)))
    }
    let password = (value as? String) ?? "\(value)"
    return ProvidedCredential(
      password: password, user: key == nil ? object["username"] as? String : nil)
  }

  func parameter(_ name: String, source: PasswordSource) async throws -> ProvidedCredential {
    let what = "SSM parameter `\(name)`"
    let answer = try await command(for: source).json(
      ["ssm", "get-parameter", "--name", name, "--with-decryption"], source: what)
    guard let parameter = answer["Parameter"] as? [String: Any],
      let value = parameter["Value"] as? String
    else {
      throw CredentialError(.awsFailed(source: what, message: "the answer has no value"))
    }
    return ProvidedCredential(password: value)
  }
}
