/// Reads `cruddur.yml` and every file it includes into a `Project`, collecting every
/// problem it can find rather than stopping at the first.
public struct ProjectDecoder {
  public let registry: ExecutorRegistry
  /// Given each file's YAML tree once it is decoded, to keep it: a command-line run hands
  /// it a store kept until the process exits, so the tree is never freed node by node
  /// (as clang's -disable-free; freeing cost a 50-task `list` 0.9 M instructions). Nil, the
  /// tree is freed as usual, as a long-lived caller wants.
  public var keepTree: (@Sendable (YAMLNode) -> Void)?

  public init(registry: ExecutorRegistry) { self.registry = registry }

  /// Loads the project whose main file is `configPath` (absolute).
  public func load(configPath: String) -> (Project, [Diagnostic]) {
    let root = SourceLoader.resolve("..", relativeTo: configPath)
    let loader = SourceLoader(root: root)
    var project = Project(root: root, configPath: loader.relative(configPath))
    var state = State(loader: loader)
    state.readFile(configPath, isMain: true, includedFrom: nil, into: &project, decoder: self)
    var diagnostics = state.decoding.diagnostics
    diagnostics += checkReferences(project)
    return (project, diagnostics)
  }

  private struct State {
    let loader: SourceLoader
    var decoding = NodeDecoding()
    var visited: Set<String> = []
    var taskOrigins: [String: SourceLocation] = [:]

    mutating func readFile(
      _ absolute: String, isMain: Bool, includedFrom: SourceLocation?, into project: inout Project,
      decoder: ProjectDecoder
    ) {
      guard visited.insert(absolute).inserted else { return }
      let path = loader.relative(absolute)
      let text: String
      switch loader.read(absolute) {
      case .success(let read):
        text = read
      case .failure(.missing):
        decoding.report(.fileMissing(path: path), at: includedFrom ?? SourceLocation(path: path, line: 1, column: 1))
        return
      case .failure(.notAFile(let kind)):
        decoding.report(.notAFile(shownAs: path, kind: kind), at: includedFrom)
        return
      case .failure(.invalidUTF8(let invalid)):
        decoding.diagnostics.append(invalid.diagnostic(path: path))
        return
      }
      project.sources.add(text, path: path)
      let (node, yamlDiagnostics) = YAMLReader.read(text, path: path)
      decoding.diagnostics += yamlDiagnostics
      guard let root = node else { return }
      decoder.keepTree?(root)
      guard let pairs = decoding.mapping(root, "the top level of `\(path)`") else { return }
      decoding.checkKeys(pairs, known: isMain ? KnownKeys.topLevel : KnownKeys.includedFile, in: "`\(path)`")
      let directory = SourceLoader.resolve("..", relativeTo: absolute)
      // Plugins first: tasks anywhere may `uses:` them, whatever the key order.
      if isMain, let plugins = pairs.first(where: { $0.key.string == "plugins" }) {
        for plugin in decoding.mapping(plugins.value, "`plugins`") ?? [] {
          guard let name = decoding.string(plugin.key, "a plugin name"),
            let path = decoding.string(plugin.value, "plugin `\(name)`")
          else { continue }
          let absolutePath = SourceLoader.resolve(path, relativeTo: directory)
          if SourceLoader.exists(absolutePath) {
            project.plugins[name] = absolutePath
          } else {
            decoding.report(.pluginMissing(name: name, path: path), at: plugin.value.spanLocation)
          }
        }
      }
      for pair in pairs {
        switch pair.key.string {
        case "version" where isMain:
          if pair.value.string != "1" {
            decoding.report(
              .unsupportedVersion(found: pair.value.string ?? pair.value.kindName), at: pair.value.spanLocation)
          }
        case "dotenv" where isMain:
          for (file, location) in decoding.stringList(pair.value, "`dotenv`") ?? [] {
            let absoluteFile = SourceLoader.resolve(file, relativeTo: directory)
            switch loader.read(absoluteFile) {
            case .success(let content):
              project.dotenv.merge(Dotenv.parse(content)) { old, _ in old }
            case .failure(.missing):
              // A missing dotenv file is normal (it is usually not committed).
              break
            case .failure(.notAFile(let kind)):
              decoding.report(.notAFile(shownAs: file, kind: kind), at: location)
            case .failure(.invalidUTF8(let invalid)):
              decoding.diagnostics.append(invalid.diagnostic(path: loader.relative(absoluteFile)))
            }
          }
        case "secrets" where isMain:
          for (name, _) in decoding.stringList(pair.value, "`secrets`") ?? [] { project.secrets.insert(name) }
        case "vars" where isMain:
          for varPair in decoding.mapping(pair.value, "`vars`") ?? [] {
            guard let name = decoding.string(varPair.key, "a variable name"),
              let value = decoding.template(varPair.value, "variable `\(name)`")
            else { continue }
            project.vars[name] = value
          }
        case "environments" where isMain:
          decodeEnvironments(pair.value, into: &project)
        case "include":
          for (pattern, location) in decoding.stringList(pair.value, "`include`") ?? [] {
            let matches = SourceLoader.glob(pattern, relativeTo: directory)
            if matches.isEmpty {
              let isGlob = pattern.contains("*") || pattern.contains("?")
              decoding.report(
                .includeMatchesNothing(pattern: pattern, isGlob: isGlob, relativeTo: isMain ? nil : path), at: location)
            }
            for match in matches {
              readFile(match, isMain: false, includedFrom: location, into: &project, decoder: decoder)
            }
          }
        case "tasks":
          decodeTasks(pair.value, directory: directory, into: &project, decoder: decoder)
        default:
          break
        }
      }
    }

    mutating func decodeEnvironments(_ node: YAMLNode, into project: inout Project) {
      for pair in decoding.mapping(node, "`environments`") ?? [] {
        guard let name = decoding.string(pair.key, "an environment name") else { continue }
        checkName(name, "environment name", at: pair.key.spanLocation)
        var environment = EnvironmentSpec(name: name, location: pair.key.spanLocation)
        guard let fields = decoding.mapping(pair.value, "environment `\(name)`") else { continue }
        decoding.checkKeys(fields, known: KnownKeys.environment + KnownKeys.fleetEnvironment, in: "environment `\(name)`")
        for field in fields {
          switch field.key.string {
          case "url": environment.url = decoding.template(field.value, "`url`")
          case "default": environment.isDefault = decoding.bool(field.value, "`default`") ?? false
          case "embedded": environment.isEmbedded = decoding.bool(field.value, "`embedded`") ?? false
          case "protected": environment.isProtected = decoding.bool(field.value, "`protected`") ?? false
          case "password":
            var passwords = PasswordSourceDecoder(decoding: decoding)
            environment.password = passwords.decode(field.value, environment: name)
            decoding = passwords.decoding
          case let key? where LockSettings.keys.contains(key):
            environment.lockSettings.read(key: key, field.value, diagnostics: &decoding.diagnostics)
          case "vars":
            for varPair in decoding.mapping(field.value, "`vars`") ?? [] {
              guard let varName = decoding.string(varPair.key, "a variable name"),
                let value = decoding.template(varPair.value, "variable `\(varName)`")
              else { continue }
              environment.vars[varName] = value
            }
          default: break
          }
        }
        environment.fleet = FleetSpecDecoder.decode(fields, environment: name, decoding: &decoding)
        let hasFleetKeys = fields.contains { $0.key.string.map(FleetSpecDecoder.keys.contains) ?? false }
        if environment.url == nil, !hasFleetKeys, !fields.contains(where: { $0.key.string == "url" }) {
          decoding.report(.environmentWithoutURL(environment: name), at: environment.location)
        }
        project.environments.append(environment)
      }
      FleetSpecDecoder.checkReferences(project.environments, decoding: &decoding)
      let defaults = project.environments.filter(\.isDefault)
      if defaults.count > 1 {
        decoding.report(
          .multipleDefaultEnvironments(first: .init(defaults[0].name, at: defaults[0].location)),
          at: defaults[1].location)
      }
    }

    /// Names are printed on terminals and typed on command lines: never empty, no control
    /// characters.
    mutating func checkName(_ name: String, _ what: String, at location: SourceLocation) {
      if name.isEmpty {
        decoding.report(.emptyName(what: what), at: location)
      } else if let control = name.firstControlCharacter {
        decoding.report(
          .controlCharacterInName(what: what, name: name, codePoint: control.codePoint), at: location)
      }
    }

    mutating func decodeTasks(
      _ node: YAMLNode, directory: String, into project: inout Project, decoder: ProjectDecoder
    ) {
      for pair in decoding.mapping(node, "`tasks`") ?? [] {
        guard let name = decoding.string(pair.key, "a task name") else { continue }
        let location = pair.key.spanLocation
        checkName(name, "task name", at: location)
        if let first = taskOrigins[name] {
          decoding.report(.duplicateTask(name: name, firstAt: first), at: location)
          continue
        }
        taskOrigins[name] = location
        var taskDecoder = TaskDecoder(registry: decoder.registry, loader: loader, plugins: project.plugins)
        let task = taskDecoder.decode(name: name, location: location, node: pair.value, directory: directory)
        decoding.diagnostics += taskDecoder.decoding.diagnostics
        project.tasks[name] = task
        project.taskOrder.append(name)
      }
    }
  }

  /// Every `deps`/`steps` entry names a task that exists.
  private func checkReferences(_ project: Project) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    for name in project.taskOrder {
      guard let task = project.tasks[name] else { continue }
      for reference in task.deps + task.steps where project.tasks[reference.name] == nil {
        let suggestion = Suggestion.closest(to: reference.name, in: project.taskOrder)
        diagnostics.append(
          ConfigErrorKind.unknownTask(name: reference.name, in: name, suggestion: suggestion)
            .diagnostic(at: reference.location))
      }
    }
    return diagnostics
  }
}
