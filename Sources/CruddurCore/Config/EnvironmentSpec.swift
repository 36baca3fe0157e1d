/// An environment as declared; its URL is rendered only when it is the selected one.
public struct EnvironmentSpec: Sendable {
  public var name: String
  public var location: SourceLocation
  public var url: Template?
  public var isDefault: Bool
  public var isEmbedded: Bool
  public var isProtected: Bool
  public var vars: [String: Template]

  public init(name: String, location: SourceLocation) {
    self.name = name
    self.location = location
    self.url = nil
    self.isDefault = false
    self.isEmbedded = false
    self.isProtected = false
    self.vars = [:]
  }
}

/// The selected environment with its URL rendered. `description` never shows the password.
public struct ResolvedEnvironment: Sendable, CustomStringConvertible {
  public var name: String
  public var url: ConnectionURL
  public var isEmbedded: Bool
  public var isProtected: Bool
  public init(name: String, url: ConnectionURL, isEmbedded: Bool, isProtected: Bool) {
    self.name = name
    self.url = url
    self.isEmbedded = isEmbedded
    self.isProtected = isProtected
  }
  public var description: String { "\(name) (\(url))" }
}

/// A connection string whose text is reachable only on purpose (`secretValue`); printing it
/// in any form masks the password.
public struct ConnectionURL: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
  public let secretValue: String
  public init(_ value: String) { self.secretValue = value }
  public var description: String { Redaction.redact(secretValue) }
  public var debugDescription: String { description }
}
