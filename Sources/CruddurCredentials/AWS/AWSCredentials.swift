import CruddurCore

/// An AWS access key pair, with the session token of temporary credentials. In memory only;
/// `description` names the key id's first characters and never the secret.
public struct AWSCredentials: Sendable, CustomStringConvertible {
  public var accessKeyID: String
  public var secretAccessKey: String
  public var sessionToken: String?
  /// Where they were found ("environment variables", "profile `prod` in ~/.aws/credentials").
  public var origin: String

  public init(
    accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, origin: String
  ) {
    self.accessKeyID = accessKeyID
    self.secretAccessKey = secretAccessKey
    self.sessionToken = sessionToken
    self.origin = origin
    Redaction.remember(secret: secretAccessKey)
    if let sessionToken { Redaction.remember(secret: sessionToken) }
  }

  public var description: String { "AWS credentials \(accessKeyID.prefix(4))… from \(origin)" }
}
