/// The tasks a run needs, in an order that honours `deps` (before the task) and `steps`
/// (in sequence). Walks iteratively: a 10,000-deep chain must not exhaust the stack.
public struct TaskGraph: Sendable {
  /// Task names in run order; each appears once however often it is reached.
  public private(set) var order: [String] = []
  /// For each task in `order`, the tasks that must be finished before it starts.
  public private(set) var prerequisites: [String: [String]] = [:]

  /// `reportUnknown: false` skips references to missing tasks (validation reports those
  /// once, with suggestions) and only looks for cycles.
  public init(roots: [TaskReference], tasks: [String: TaskDefinition], reportUnknown: Bool = true)
    throws(ConfigError)
  {
    enum Mark { case visiting, done }
    var marks: [String: Mark] = [:]
    struct Frame {
      var name: String
      var children: [(TaskReference, isStep: Bool)]
      var next = 0
    }
    var stack: [Frame] = []
    var diagnostics: [Diagnostic] = []

    func children(of task: TaskDefinition) -> [(TaskReference, isStep: Bool)] {
      task.deps.map { ($0, false) } + task.steps.map { ($0, true) }
    }

    for root in roots {
      guard let rootTask = tasks[root.name] else {
        diagnostics.append(Self.unknownTask(root, tasks: tasks))
        continue
      }
      if marks[root.name] == .done { continue }
      marks[root.name] = .visiting
      stack.append(Frame(name: root.name, children: children(of: rootTask)))
      while !stack.isEmpty {
        let top = stack.count - 1
        if stack[top].next == stack[top].children.count {
          let frame = stack.removeLast()
          marks[frame.name] = .done
          order.append(frame.name)
          continue
        }
        let (child, _) = stack[top].children[stack[top].next]
        stack[top].next += 1
        guard let childTask = tasks[child.name] else {
          if reportUnknown { diagnostics.append(Self.unknownTask(child, tasks: tasks)) }
          continue
        }
        switch marks[child.name] {
        case .done: continue
        case .visiting:
          // A cycle makes the rest of the walk meaningless: report it alone.
          throw ConfigError(
            Self.cycle(closingAt: child, stack: stack.map { ($0.name, $0.next - 1, $0.children.map(\.0)) }))
        case nil:
          marks[child.name] = .visiting
          stack.append(Frame(name: child.name, children: children(of: childTask)))
        }
      }
    }
    if !diagnostics.isEmpty { throw ConfigError(diagnostics) }
    computePrerequisites(tasks: tasks)
  }

  /// deps finish before their task; `steps: [a, b]` means b waits for a, and the
  /// composite waits for all of them.
  private mutating func computePrerequisites(tasks: [String: TaskDefinition]) {
    var result: [String: [String]] = [:]
    for name in order { result[name] = [] }
    for name in order {
      guard let task = tasks[name] else { continue }
      result[name, default: []] += task.deps.map(\.name) + task.steps.map(\.name)
      for (previous, next) in zip(task.steps, task.steps.dropFirst()) where previous.name != next.name {
        result[next.name, default: []].append(previous.name)
      }
    }
    prerequisites = result
  }

  private static func unknownTask(_ reference: TaskReference, tasks: [String: TaskDefinition]) -> Diagnostic {
    var ref = reference.location
    ref.length = reference.name.unicodeScalars.count
    let suggestion = Suggestion.closest(to: reference.name, in: tasks.keys)
    return ConfigErrorKind.unknownTask(name: reference.name, in: nil, suggestion: suggestion).diagnostic(at: ref)
  }

  private static func cycle(
    closingAt child: TaskReference, stack: [(name: String, edge: Int, children: [TaskReference])]
  ) -> Diagnostic {
    let startIndex = stack.lastIndex { $0.name == child.name } ?? 0
    let members = stack[startIndex...]
    let path = members.map(\.name) + [child.name]
    let edges = members.map { frame -> ConfigErrorKind.Dependency in
      let edge = frame.children[frame.edge]
      return .init(task: frame.name, needs: edge.name, at: edge.location)
    }
    return ConfigErrorKind.dependencyCycle(path: path, edges: edges).diagnostic(at: child.location)
  }
}
