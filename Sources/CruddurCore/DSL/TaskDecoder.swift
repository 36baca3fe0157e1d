/// Decodes one task: the keys the core owns, and the action, which its executor decodes.
public struct TaskDecoder {
  public let registry: ExecutorRegistry
  let loader: SourceLoader
  public var decoding = NodeDecoding()

  let plugins: [String: String]

  init(registry: ExecutorRegistry, loader: SourceLoader, plugins: [String: String] = [:]) {
    self.registry = registry
    self.loader = loader
    self.plugins = plugins
  }

  /// An executor's own keys (`on`, `transaction`, `with`...) are legal only on a task of
  /// that executor: `on: maintenance` on a `sql:` task would otherwise be ignored.
  private mutating func checkExecutorKeys(_ pairs: [YAMLNode.Pair], actions: [YAMLNode.Pair], task name: String) {
    let action = actions.first?.key.string
    // The action's own keys are built (a Set from its executor) only for a task that has
    // an executor's key at all, which most do not.
    var own: Set<String>?
    for pair in pairs {
      guard let key = pair.key.string, registry.executorTaskKeys.contains(key),
        !KnownKeys.task.contains(key)
      else { continue }
      if own == nil { own = action.flatMap { registry.executor(for: $0) }?.taskKeys ?? [] }
      guard own?.contains(key) != true else { continue }
      let owners = registry.executors.values.filter { $0.taskKeys.contains(key) }.map(\.actionKey).sorted()
      decoding.report(.keyOfOtherExecutor(key: key, action: action, owners: owners), at: pair.key.spanLocation)
    }
  }

  public mutating func decode(name: String, location: SourceLocation, node: YAMLNode, directory: String)
    -> TaskDefinition
  {
    var task = TaskDefinition(name: name, location: location)
    guard let pairs = decoding.mapping(node, "task `\(name)`") else { return task }
    let known = registry.taskKeys
    decoding.checkKeys(pairs, known: known, in: "task `\(name)`")
    // Sized for the task's keys at once: growing from empty rehashed it twice a task.
    var fields = [String: YAMLNode](minimumCapacity: pairs.count)
    var actions: [YAMLNode.Pair] = []
    for pair in pairs {
      guard let key = pair.key.string else { continue }
      fields[key] = pair.value
      if registry.actionKeys.contains(key) { actions.append(pair) }
      switch key {
      case "description": task.description = decoding.string(pair.value, "`description`")
      case "deps":
        task.deps = (decoding.stringList(pair.value, "`deps`") ?? []).map { TaskReference(name: $0.0, location: $0.1) }
      case "steps":
        task.steps = (decoding.stringList(pair.value, "`steps`") ?? []).map { TaskReference(name: $0.0, location: $0.1) }
      case "requires": task.requires = (decoding.stringList(pair.value, "`requires`") ?? []).map(\.0)
      case "params": task.params = (decoding.stringList(pair.value, "`params`") ?? []).map(\.0)
      case "protected": task.isProtected = decoding.bool(pair.value, "`protected`") ?? false
      case "destructive":
        task.declaresDestructive = decoding.bool(pair.value, "`destructive`")
        task.isDestructive = task.declaresDestructive ?? false
      case "timeout": task.timeout = decoding.duration(pair.value, "`timeout`")
      case "vars": decodeVars(pair.value, into: &task)
      case "unless": task.unless = decodeUnless(pair.value)
      case "env":
        for envPair in decoding.mapping(pair.value, "`env`") ?? [] {
          guard let envName = decoding.string(envPair.key, "a variable name"),
            let value = decoding.template(envPair.value, "`env` variable `\(envName)`")
          else { continue }
          task.env[envName] = value
        }
      default: break
      }
    }
    if actions.count > 1 {
      decoding.report(
        .multipleActions(
          task: name, count: actions.count,
          earlier: actions.dropLast(actions.count - 1).map { .init($0.key.string ?? "", at: $0.key.spanLocation) }),
        at: actions[1].key.spanLocation)
    }
    checkExecutorKeys(pairs, actions: actions, task: name)
    if let actionPair = actions.first, let key = actionPair.key.string, let executor = registry.executor(for: key) {
      if !task.steps.isEmpty {
        decoding.report(.stepsAndAction(task: name, action: key), at: actionPair.key.spanLocation)
      }
      let input = ActionInput(
        taskName: name, value: actionPair.value, task: fields, directory: directory, projectRoot: loader.root,
        fileExists: { SourceLoader.exists($0) }, plugins: plugins)
      if let bound = executor.bind(input, diagnostics: &decoding.diagnostics) {
        task.action = Action(key: key, location: actionPair.key.spanLocation, bound: bound)
      }
    } else if actions.isEmpty, fields["steps"] == nil, fields["deps"] == nil,
      fields.keys.allSatisfy({ known.contains($0) })
    {
      // A misspelt action key already has its own error; "does nothing" would only repeat it.
      decoding.report(.taskDoesNothing(task: name, actionKeys: registry.actionKeys.sorted()), at: location)
    }
    return task
  }

  private mutating func decodeUnless(_ node: YAMLNode) -> SkipCondition? {
    guard case .mapping(let pairs, _) = node, pairs.count == 1, let key = pairs[0].key.string, key == "sql" || key == "sh"
    else {
      if case .mapping(let pairs, _) = node { decoding.checkKeys(pairs, known: ["sql", "sh"], in: "`unless`") }
      decoding.report(.invalidUnless, at: node.spanLocation)
      return nil
    }
    guard let text = decoding.string(pairs[0].value, "`unless.\(key)`") else { return nil }
    if key == "sql", let problem = registry.queryTextCheck?(text, "unless.sql") {
      decoding.report(problem, at: pairs[0].value.spanLocation)
    }
    return key == "sql" ? .sql(text, pairs[0].value.location) : .sh(text, pairs[0].value.location)
  }

  private mutating func decodeVars(_ node: YAMLNode, into task: inout TaskDefinition) {
    for pair in decoding.mapping(node, "`vars`") ?? [] {
      guard let varName = decoding.string(pair.key, "a variable name") else { continue }
      if case .mapping(let inner, _) = pair.value {
        decoding.checkKeys(inner, known: ["sh"], in: "variable `\(varName)`")
        if let sh = inner.first(where: { $0.key.string == "sh" }), let command = decoding.string(sh.value, "`sh`") {
          task.vars[varName] = .command(command, sh.value.location)
        }
      } else if let template = decoding.template(pair.value, "variable `\(varName)`") {
        task.vars[varName] = .template(template)
      }
    }
  }
}
