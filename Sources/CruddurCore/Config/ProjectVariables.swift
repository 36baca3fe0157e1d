/// The variable names a project knows: declared in any `vars:`, named in `params`,
/// `requires` or `env`, referenced as `${NAME}` in a value, set by a dotenv file, or read
/// by an executor (`Executor.variablesRead`). What
/// `--set` is checked against and what completion offers after it.
public enum ProjectVariables {
  public static func names(in project: Project) -> Set<String> {
    var names = Set(project.dotenv.keys)
    for (name, template) in project.vars {
      names.insert(name)
      names.formUnion(template.variableNames)
    }
    for environment in project.environments {
      names.formUnion(environment.url?.variableNames ?? [])
      for (name, template) in environment.vars {
        names.insert(name)
        names.formUnion(template.variableNames)
      }
    }
    for task in project.tasks.values {
      names.formUnion(task.params)
      names.formUnion(task.requires)
      for (name, value) in task.vars {
        names.insert(name)
        if case .template(let template) = value { names.formUnion(template.variableNames) }
      }
      names.formUnion(task.action?.bound.variablesRead ?? [])
      for (name, template) in task.env {
        names.insert(name)
        names.formUnion(template.variableNames)
      }
    }
    return names
  }

  /// Whether some task hands every variable to something cruddur cannot see into (a
  /// plugin): then a name it does not know may still be read.
  public static func mayReadAny(in project: Project) -> Bool {
    project.tasks.values.contains { $0.action.map { $0.bound.variablesRead == nil } ?? false }
  }
}
