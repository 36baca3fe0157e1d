/// A loaded project: every file read, every task and environment decoded.
public struct Project: Sendable {
  /// Absolute directory of the main config file; paths in messages are relative to it.
  public var root: String
  /// The main config file, relative to `root`.
  public var configPath: String
  public var environments: [EnvironmentSpec] = []
  public var tasks: [String: TaskDefinition] = [:]
  /// Task names in the order they were written, for listings.
  public var taskOrder: [String] = []
  public var vars: [String: Template] = [:]
  public var dotenv: [String: String] = [:]
  public var sources: SourceProvider
  /// External executors declared under `plugins:`, name to absolute path.
  public var plugins: [String: String] = [:]
  /// Variables whose values are masked in all output (`secrets:`), besides those named
  /// like `*PASSWORD*`, `*SECRET*` or `*TOKEN*`.
  public var secrets: Set<String> = []

  public init(root: String, configPath: String) {
    self.root = root
    self.configPath = configPath
    sources = SourceProvider(root: root)
  }

  public func environment(named name: String) -> EnvironmentSpec? {
    environments.first { $0.name == name }
  }
}
