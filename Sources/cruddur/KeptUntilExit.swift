import Synchronization

/// What a run loaded and uses until it ends (the project, its files' YAML trees), kept
/// here so that it is never freed: the process exits right after, and the kernel takes the
/// memory back at once, where freeing a 50-task project's values and trees one by one cost
/// `list` about 1 M instructions (clang's -disable-free does the same).
enum KeptUntilExit {
  private static let values = Mutex<[any Sendable]>([])

  static func keep(_ value: any Sendable) { values.withLock { $0.append(value) } }
}
