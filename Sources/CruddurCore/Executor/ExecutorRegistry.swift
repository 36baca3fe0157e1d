/// The executors known to this process, by the action key they own.
public struct ExecutorRegistry: Sendable {
  public private(set) var executors: [String: any Executor] = [:]
  /// Kept up to date on registration: the decoder asks for these once per task, and a
  /// 10,000-task project made rebuilding them a measurable share of `plan`.
  public private(set) var actionKeys: Set<String> = []
  /// Extra task keys any executor reads, for the unknown-key check.
  public private(set) var executorTaskKeys: Set<String> = []
  /// Every key a task may have: the core's, the actions, the executors' own.
  public private(set) var taskKeys: Set<String> = Set(KnownKeys.task)

  /// Checks SQL text written in the YAML outside an executor's own keys (`unless: { sql: }`)
  /// with the rules of the module that runs it; nil when no such module is registered.
  public var queryTextCheck: (@Sendable (_ sql: String, _ key: String) -> (any ErrorKind)?)?

  public init(_ executors: [any Executor] = []) {
    for executor in executors { register(executor) }
  }

  public mutating func register(_ executor: any Executor) {
    executors[executor.actionKey] = executor
    actionKeys.insert(executor.actionKey)
    executorTaskKeys.formUnion(executor.taskKeys)
    taskKeys.insert(executor.actionKey)
    taskKeys.formUnion(executor.taskKeys)
  }

  public func executor(for key: String) -> (any Executor)? { executors[key] }

}
