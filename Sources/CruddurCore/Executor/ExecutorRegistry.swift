/// The executors known to this process, by the action key they own.
public struct ExecutorRegistry: Sendable {
  public private(set) var executors: [String: any Executor] = [:]

  public init(_ executors: [any Executor] = []) {
    for executor in executors { register(executor) }
  }

  public mutating func register(_ executor: any Executor) { executors[executor.actionKey] = executor }

  public func executor(for key: String) -> (any Executor)? { executors[key] }

  public var actionKeys: Set<String> { Set(executors.keys) }

  /// Extra task keys any executor reads, for the unknown-key check.
  public var executorTaskKeys: Set<String> {
    executors.values.reduce(into: Set<String>()) { $0.formUnion($1.taskKeys) }
  }
}
