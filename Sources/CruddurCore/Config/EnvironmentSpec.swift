import Foundation

/// An environment as declared; its URL is rendered only when it is the selected one.
public struct EnvironmentSpec: Sendable {
  public var name: String
  public var location: SourceLocation
  public var url: Template?
  public var isDefault: Bool
  public var isEmbedded: Bool
  public var isProtected: Bool
  public var vars: [String: Template]
  /// Set when the environment stands for many databases (`urls`, `server` + `databases`,
  /// `from` + `query`); its `url` is nil then.
  public var fleet: FleetSpec?
  /// `password:`, when the password is fetched at connect time rather than in the URL.
  public var password: PasswordSourceSpec?
  /// `lock_timeout`, `statement_timeout`, `retries` for the `sql:` and `migrate:` steps run on it.
  public var lockSettings = LockSettings()

  public init(name: String, location: SourceLocation) {
    self.name = name
    self.location = location
    self.url = nil
    self.isDefault = false
    self.isEmbedded = false
    self.isProtected = false
    self.vars = [:]
    self.password = nil
  }
}

/// The selected environment with its URL rendered. `description` never shows the password.
public struct ResolvedEnvironment: Sendable, CustomStringConvertible {
  public var name: String
  public var url: ConnectionURL
  public var isEmbedded: Bool
  public var isProtected: Bool
  public var lockSettings: LockSettings
  /// Where the password comes from when the URL does not hold it, and who fetches it.
  public var password: PasswordSource?
  public var passwordProvider: (any PasswordProvider)?
  public init(
    name: String, url: ConnectionURL, isEmbedded: Bool, isProtected: Bool, password: PasswordSource? = nil,
    passwordProvider: (any PasswordProvider)? = nil, lockSettings: LockSettings = LockSettings()
  ) {
    self.name = name
    self.url = url
    self.isEmbedded = isEmbedded
    self.isProtected = isProtected
    self.password = password
    self.passwordProvider = passwordProvider
    self.lockSettings = lockSettings
  }
  public var description: String { "\(name) (\(url))" }
}

/// A connection string whose text is reachable only on purpose (`secretValue`); printing it
/// in any form masks the password.
public struct ConnectionURL: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
  public let secretValue: String
  /// The variable the URL came from (`PROD_CONNECTION_URL`), to name it when it cannot be shown.
  public var source: String?
  public init(_ value: String, source: String? = nil) {
    self.secretValue = value
    self.source = source
    if let password = shape.parts?.password { Redaction.remember(secret: password) }
  }

  public var shape: ConnectionURLShape { ConnectionURLShape.read(secretValue) }

  /// Masked; a URL cruddur cannot read is never echoed, since where its password sits is
  /// unknown (failing closed).
  public var description: String {
    switch shape {
    case .url, .keywords: return Redaction.redact(secretValue)
    case .ambiguous, .unparsable: return "<unparsable URL\(source.map { " from \($0)" } ?? "")>"
    }
  }
  public var debugDescription: String { description }

  /// The same connection string without its password, for a plugin's `describe` (which
  /// must not be able to connect) and for anything shown in full.
  public var withoutPassword: String {
    guard let raw = shape.parts?.rawPassword else { return secretValue }
    switch shape {
    case .url:
      return secretValue.replacingOccurrences(of: ":" + raw + "@", with: "@")
    case .keywords:
      return secretValue.replacingOccurrences(of: "password='" + raw + "'", with: "")
        .replacingOccurrences(of: "password=" + raw, with: "")
    case .ambiguous, .unparsable:
      return ""
    }
  }
}
