/// Fetches or mints the password of a `PasswordSource` for one new connection. Supplied by
/// the composition (the credentials module); the Postgres side calls it just before it
/// connects, so nothing is fetched by `list`, `plan` or a run that never connects.
public protocol PasswordProvider: Sendable {
  func credential(for request: PasswordRequest) async throws -> ProvidedCredential
}

/// One connection's need for a password.
public struct PasswordRequest: Sendable {
  public var source: PasswordSource
  /// The server and user the password is for (an RDS IAM token signs them).
  public var target: Target
  /// The connection's `sslmode`, when it sets one (an IAM token needs TLS).
  public var sslmode: String?
  public var environment: String
  /// The server refused the previous password from this source: a rotated secret is read
  /// again rather than taken from memory.
  public var afterRefusal: Bool

  public init(
    source: PasswordSource, target: Target, sslmode: String?, environment: String,
    afterRefusal: Bool
  ) {
    self.source = source
    self.target = target
    self.sslmode = sslmode
    self.environment = environment
    self.afterRefusal = afterRefusal
  }
}

/// A password in memory, and the user name when the source says it (an RDS-managed secret's
/// `username`). `description` never shows the password.
public struct ProvidedCredential: Sendable, CustomStringConvertible {
  public var password: String
  public var user: String?
  /// Whether the server must be reached over TLS (`sslmode=require` or stricter), as RDS
  /// requires for IAM tokens.
  public var requiresTLS: Bool

  /// `isMasked`: the password is added to the values masked in every output line. An RDS
  /// IAM token is not: a fleet mints hundreds, each a new value every printed line would be
  /// checked against (200 tokens made `envs --check` 4x slower than 100, measured), and the
  /// token reaches nothing but libpq's password field; the keys that sign it are masked.
  public init(password: String, user: String? = nil, requiresTLS: Bool = false, isMasked: Bool = true) {
    self.password = password
    self.user = user
    self.requiresTLS = requiresTLS
    if isMasked { Redaction.remember(secret: password) }
  }

  public var description: String { "credential for \(user ?? "the URL's user")" }
}
