/// What `list` and `help TASK` say about a task, from the declarations alone: no file is
/// read and no environment rendered, so listing stays fast and works with any `.env`.
public struct TaskOverview: Sendable, Hashable {
  public var name: String
  /// `db` for `db:setup`; nil for a name without a colon.
  public var namespace: String?
  public var description: String?
  public var params: [String]
  public var deps: [String]
  public var steps: [String]
  /// The action key (`sql`, `query`...), nil for a task of `steps` or `deps` only.
  public var action: String?
  public var location: SourceLocation
  /// It, or a task it runs, is destructive in a way known without reading a file: marked
  /// `destructive: true`, or an action its executor calls destructive (`database: drop`).
  /// A SQL file's DROP shows only in a plan.
  public var isDestructive: Bool
  /// It, or a task it runs, is marked `protected: true`: its steps always ask for consent.
  public var isProtected: Bool

  /// Overviews of every task of the project, by name.
  public static func all(_ project: Project, registry: ExecutorRegistry) -> [String: TaskOverview] {
    var builder = Builder(project: project, registry: registry)
    for name in project.taskOrder { _ = builder.overview(name) }
    return builder.done
  }

  /// `db:setup` is in `db` (and `db:migrate:status` too); a name without a colon has none.
  public static func namespace(of name: String) -> String? {
    // An ASCII name, where each byte is a Character, is searched by its bytes: by
    // Characters it cost 1.4 K instructions a task of `list`.
    if name.utf8.allSatisfy({ $0 < 0x80 }) {
      return name.utf8.firstIndex(of: UInt8(ascii: ":")).map { String(name[..<$0]) }
    }
    return name.firstIndex(of: ":").map { String(name[..<$0]) }
  }

  /// The name followed by its parameters, as just lists a recipe: `users:add display_name handle`.
  public var signature: String {
    // Appended in place: an array of the name and parameters joined cost 1.7 K
    // instructions a task of `list`.
    var text = name
    for param in params {
      text += " "
      text += param
    }
    return text
  }

  private struct Builder {
    let project: Project
    let registry: ExecutorRegistry
    var done: [String: TaskOverview] = [:]
    // A cycle is reported by validation; here it must only not recurse forever.
    var visiting: Set<String> = []

    mutating func overview(_ name: String) -> TaskOverview? {
      if let known = done[name] { return known }
      guard let task = project.tasks[name], visiting.insert(name).inserted else { return nil }
      defer { visiting.remove(name) }
      var isDestructive = task.isDestructive
      if let action = task.action, action.bound.isDestructive == true {
        isDestructive = true
      }
      var isProtected = task.isProtected
      for reference in task.deps + task.steps {
        guard let reached = overview(reference.name) else { continue }
        isDestructive = isDestructive || reached.isDestructive
        isProtected = isProtected || reached.isProtected
      }
      let overview = TaskOverview(
        name: name, namespace: Self.namespace(of: name), description: task.description, params: task.params,
        deps: task.deps.map(\.name), steps: task.steps.map(\.name), action: task.action?.key,
        location: task.location, isDestructive: isDestructive, isProtected: isProtected)
      done[name] = overview
      return overview
    }

    static func namespace(of name: String) -> String? { TaskOverview.namespace(of: name) }
  }
}
