/// Picks the environment a command acts on and renders its URL. Only the selected
/// environment is rendered, so an unset `PROD_CONNECTION_URL` troubles nobody working locally.
public struct EnvironmentResolver: Sendable {
  public let project: Project
  public init(project: Project) { self.project = project }

  /// `-e`, else `$CRUDDUR_ENV`, else the one marked `default: true`, else the only one.
  public func select(explicit: String?, processEnvironment: [String: String]) throws(ConfigError) -> EnvironmentSpec {
    let requested = explicit ?? processEnvironment["CRUDDUR_ENV"].flatMap { $0.isEmpty ? nil : $0 }
    if let requested {
      if let found = project.environment(named: requested) { return found }
      let names = project.environments.map(\.name)
      let suggestion = Suggestion.closest(to: requested, in: names)
      throw ConfigError(
        .error(
          "unknown environment `\(requested)`"
            + (explicit == nil ? " (from CRUDDUR_ENV)" : ""),
          help: suggestion.map { "did you mean `\($0)`?" }
            ?? "environments: \(names.map { "`\($0)`" }.joined(separator: ", "))"))
    }
    if let marked = project.environments.first(where: \.isDefault) { return marked }
    if project.environments.count == 1 { return project.environments[0] }
    if project.environments.isEmpty {
      throw ConfigError(
        .error(
          "no environments are declared", at: SourceLocation(path: project.configPath, line: 1, column: 1),
          help: "add `environments:` with at least one `url:`"))
    }
    throw ConfigError(
      .error("no environment selected", help: "pass `-e NAME`, set CRUDDUR_ENV, or mark one `default: true`"))
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
      throw ConfigError(.error("environment `\(environment.name)` has no `url`", at: environment.location))
    }
    let text = try Interpolator.render(template, in: scope)
    let names = template.variableNames
    let url = ConnectionURL(text, source: names.count == 1 ? names[0] : nil)
    let origin = url.source.map { "the URL of `\(environment.name)` (from \($0))" } ?? "the URL of `\(environment.name)`"
    switch url.shape {
    case .url, .keywords:
      break
    case .ambiguous(let why):
      var diagnostic = Diagnostic.error(
        "\(origin) is ambiguous: \(why)", at: template.location,
        help: "percent-encode the password (`@` is %40, `:` is %3A, `/` is %2F, a space %20, `%` %25)")
      diagnostic.hidesSourceLine = true
      throw ConfigError(diagnostic)
    case .unparsable(let why):
      var diagnostic = Diagnostic.error(
        "cannot read \(origin): \(why)", at: template.location,
        help: "write it as postgresql://user:password@host:port/database or as key=value pairs")
      diagnostic.hidesSourceLine = true
      throw ConfigError(diagnostic)
    }
    // Secrets the run may print by accident: named ones and those that look like secrets.
    for layer in scope.layers {
      for (name, value) in layer.values where Redaction.isSecretName(name) || project.secrets.contains(name) {
        Redaction.remember(secret: value)
      }
    }
    return ResolvedEnvironment(
      name: environment.name, url: url, isEmbedded: environment.isEmbedded, isProtected: environment.isProtected)
  }
}
