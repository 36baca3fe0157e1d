/// A `password:` as declared on an environment: its values are templates, rendered only
/// for the selected environment (like its URL).
public struct PasswordSourceSpec: Sendable {
  public enum Kind: Sendable {
    case awsRDSIAM
    case awsSecret(id: Template, key: Template?)
    case awsSSM(name: Template)
    case command(Template, timeoutSeconds: Double)
  }

  public var kind: Kind
  public var region: Template?
  public var profile: Template?
  public var location: SourceLocation

  public init(
    _ kind: Kind, region: Template? = nil, profile: Template? = nil, location: SourceLocation
  ) {
    self.kind = kind
    self.region = region
    self.profile = profile
    self.location = location
  }

  /// Renders every value in `scope` (`${VAR}` works as in the URL).
  public func render(in scope: Scope) throws(ConfigError) -> PasswordSource {
    func text(_ template: Template?) throws(ConfigError) -> String? {
      guard let template else { return nil }
      return try Interpolator.render(template, in: scope)
    }
    let rendered: PasswordSource.Kind
    switch kind {
    case .awsRDSIAM: rendered = .awsRDSIAM
    case .awsSecret(let id, let key):
      rendered = .awsSecret(id: try text(id) ?? "", key: try text(key))
    case .awsSSM(let name): rendered = .awsSSM(name: try text(name) ?? "")
    case .command(let command, let timeout):
      rendered = .command(try text(command) ?? "", timeoutSeconds: timeout)
    }
    return PasswordSource(rendered, region: try text(region), profile: try text(profile))
  }
}
