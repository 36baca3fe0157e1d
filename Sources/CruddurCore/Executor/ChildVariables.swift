/// The variables a child cruddur starts is given: a shell step's environment, a plugin's
/// request. A value cruddur masks (named like `*PASSWORD*` / `*SECRET*` / `*TOKEN*`, listed
/// under `secrets:`, or a password cruddur learnt, such as the URL's) that came from the
/// project (`.env`, `vars:`, an environment's `vars`, `--set`) is left out, unless the task
/// passes it explicitly: by its own `vars:`, `env:`, `params` or `requires:`. What came from
/// cruddur's own process environment was already the user's to give, and a child
/// inherits it as any child does.
public enum ChildVariables {
  /// Whether `value` under `name` is one cruddur masks.
  public static func isMasked(name: String, value: String) -> Bool {
    Redaction.isSecretName(name) || Redaction.isRemembered(value)
  }

  /// The names `task` passes on purpose.
  public static func explicitNames(of task: TaskDefinition) -> Set<String> {
    Set(task.vars.keys).union(task.env.keys).union(task.params).union(task.requires)
  }

  /// `scope` flattened (highest layer wins), masked values left out as above; without the
  /// process environment's layer when `includingProcessEnvironment` is false.
  public static func values(
    of scope: Scope, for task: TaskDefinition, includingProcessEnvironment: Bool
  ) -> [String: String] {
    let explicit = explicitNames(of: task)
    var out: [String: String] = [:]
    for layer in scope.layers.reversed() {
      if layer.origin == .environment {
        if includingProcessEnvironment { out.merge(layer.values) { _, new in new } }
        continue
      }
      for (name, value) in layer.values {
        if explicit.contains(name) || !isMasked(name: name, value: value) {
          out[name] = value
        } else {
          // A masked value must not leave a lower layer's value showing through either.
          out[name] = nil
        }
      }
    }
    return out
  }
}
