/// Where an environment's password comes from when it is not in the URL, rendered for the
/// selected environment. Plain data: Core never reaches AWS or runs the command; a
/// `PasswordProvider` does, at connect time. Plans show `description`.
public struct PasswordSource: Sendable, Codable, Hashable, CustomStringConvertible {
  public enum Kind: Sendable, Codable, Hashable {
    /// An RDS IAM authentication token, minted for each new connection.
    case awsRDSIAM
    /// A Secrets Manager secret (name or ARN); `key` picks a field of a JSON secret.
    case awsSecret(id: String, key: String?)
    /// An SSM parameter, SecureString decrypted.
    case awsSSM(name: String)
    /// The first line of what a command writes to its standard output.
    case command(String, timeoutSeconds: Double)

    /// The YAML key that names it.
    public var key: String {
      switch self {
      case .awsRDSIAM: "aws_rds_iam"
      case .awsSecret: "aws_secret"
      case .awsSSM: "aws_ssm"
      case .command: "command"
      }
    }
  }

  public var kind: Kind
  /// AWS region and profile; nil takes them from the AWS environment (`AWS_REGION`,
  /// `AWS_PROFILE`) and shared config, as the AWS tools do.
  public var region: String?
  public var profile: String?

  /// A password command that takes longer is stopped.
  public static let defaultCommandTimeout: Double = 30

  public init(_ kind: Kind, region: String? = nil, profile: String? = nil) {
    self.kind = kind
    self.region = region
    self.profile = profile
  }

  public var isAWS: Bool {
    if case .command = kind { return false }
    return true
  }

  /// Says where the password will come from; never calls anything.
  public var description: String {
    var placement: [String] = []
    if let region { placement.append("region \(region)") }
    if let profile { placement.append("profile \(profile)") }
    let aws = placement.isEmpty ? "" : " (\(placement.joined(separator: ", ")))"
    switch kind {
    case .awsRDSIAM:
      return "RDS IAM token, minted per connection\(aws)"
    case .awsSecret(let id, let key):
      return "Secrets Manager secret `\(id)`" + (key.map { ", key `\($0)`" } ?? "") + aws
    case .awsSSM(let name):
      return "SSM parameter `\(name)`\(aws)"
    case .command(let command, _):
      return "the output of `\(command)`"
    }
  }
}
