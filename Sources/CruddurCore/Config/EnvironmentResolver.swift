/// Picks the environment a command acts on and renders its URL. Only the selected
/// environment is rendered, so an unset `PROD_CONNECTION_URL` troubles nobody working locally.
public struct EnvironmentResolver: Sendable {
  public let project: Project
  /// Fetches a `password:` source at connect time; set by the composition.
  public var passwordProvider: (any PasswordProvider)?
  public init(project: Project, passwordProvider: (any PasswordProvider)? = nil) {
    self.project = project
    self.passwordProvider = passwordProvider
  }

  /// `-e`, else `$CRUDDUR_ENV`, else the one marked `default: true`, else the only one.
  public func select(explicit: String?, processEnvironment: [String: String]) throws(ConfigError) -> EnvironmentSpec {
    let requested = explicit ?? processEnvironment["CRUDDUR_ENV"].flatMap { $0.isEmpty ? nil : $0 }
    if let requested {
      if let found = project.environment(named: requested) { return found }
      let names = project.environments.map(\.name)
      let suggestion = Suggestion.closest(to: requested, in: names)
      throw ConfigError(
        .unknownEnvironment(
          name: requested, fromEnvironmentVariable: explicit == nil, suggestion: suggestion, names: names))
    }
    if let marked = project.environments.first(where: \.isDefault) { return marked }
    if project.environments.count == 1 { return project.environments[0] }
    if project.environments.isEmpty {
      throw ConfigError(.noEnvironments, at: SourceLocation(path: project.configPath, line: 1, column: 1))
    }
    throw ConfigError(.noEnvironmentSelected)
  }

  /// The variable layers for an environment, highest first; task `vars` are inserted later.
  public func scope(for environment: EnvironmentSpec, overrides: [String: String], processEnvironment: [String: String])
    throws(ConfigError) -> Scope
  {
    let base = Scope([
      .init(.set, overrides), .init(.environment, processEnvironment), .init(.dotenv, project.dotenv),
    ])
    // Values in `vars:` may themselves reference variables from lower layers.
    var top: [String: String] = [:]
    for (name, template) in project.vars.sorted(by: { $0.key < $1.key }) {
      top[name] = try Interpolator.render(template, in: base)
    }
    let withTop = base.inserting(.init(.vars, top))
    var envVars: [String: String] = [:]
    for (name, template) in environment.vars.sorted(by: { $0.key < $1.key }) {
      envVars[name] = try Interpolator.render(template, in: withTop)
    }
    return withTop.inserting(.init(.environmentVars, envVars))
  }

  public func resolve(_ environment: EnvironmentSpec, in scope: Scope) throws(ConfigError) -> ResolvedEnvironment {
    guard let template = environment.url else {
      throw ConfigError(.environmentWithoutURL(environment: environment.name), at: environment.location)
    }
    let text = try Interpolator.render(template, in: scope)
    let names = template.variableNames
    let url = ConnectionURL(text, source: names.count == 1 ? names[0] : nil)
    let origin = url.source.map { "the URL of `\(environment.name)` (from \($0))" } ?? "the URL of `\(environment.name)`"
    switch url.shape {
    case .url, .keywords:
      break
    case .ambiguous(let why):
      throw ConfigError(.ambiguousURL(origin: origin, reason: why), at: template.location)
    case .unparsable(let why):
      throw ConfigError(.unparsableURL(origin: origin, reason: why), at: template.location)
    }
    // Two passwords would leave one silently unused.
    if environment.password != nil, url.shape.parts?.password != nil {
      throw ConfigError(
        .invalidValue(
          what: origin, requirement: "hold no password when `password:` says where it comes from",
          found: "a password in it and `password:`", suggestion: nil),
        at: template.location)
    }
    // Secrets the run may print by accident: named ones and those that look like secrets.
    for layer in scope.layers {
      for (name, value) in layer.values where Redaction.isSecretName(name) || project.secrets.contains(name) {
        Redaction.remember(secret: value)
      }
    }
    return ResolvedEnvironment(
      name: environment.name, url: url, isEmbedded: environment.isEmbedded, isProtected: environment.isProtected,
      password: try environment.password?.render(in: scope), passwordProvider: passwordProvider,
      lockSettings: environment.lockSettings)
  }
}
