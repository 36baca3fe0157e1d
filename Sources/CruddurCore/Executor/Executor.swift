/// The one protocol every step kind implements. Core knows nothing of what an executor
/// does; it hands over the YAML, asks for a description for plans, and asks it to run.
public protocol Executor: Sendable {
  /// The task key this executor owns (`sql`, `query`, `shell`, ...).
  var actionKey: String { get }
  /// Further task keys it reads besides its action key (`transaction`, `on`, ...).
  var taskKeys: Set<String> { get }
  /// Decodes the action; problems go to `diagnostics`, with locations.
  func decode(_ input: ActionInput, diagnostics: inout [Diagnostic]) -> (any StepSpec)?
  /// What the step will do, without side effects: no connection, no process.
  func describe(_ spec: any StepSpec, in context: PlanContext) throws -> StepDescription
  /// Runs the step, reporting through `context.events`; honours task cancellation.
  func run(_ spec: any StepSpec, step: PlannedStep, in context: StepContext) async throws
  /// What `cruddur validate` checks beyond decoding, for every task whether planned or not
  /// (the files a step reads, their contents); plans check only their own steps.
  func check(_ spec: any StepSpec, projectRoot: String) -> [Diagnostic]
  /// Whether the step may write files a later step reads (a shell command, a plugin).
  var mayWriteFiles: Bool { get }
  /// Whether the step is destructive whatever the environment, known without reading a
  /// file (`database: drop`); nil when only a plan can tell (a SQL file's statements).
  /// `list` marks tasks with it, since it must stay fast and never read SQL files.
  func isDestructive(_ spec: any StepSpec) -> Bool?
  /// For `plan --check` and saved plans: the step described again with what it reads from
  /// its target now (which migrations are pending), without writing anything; nil when the
  /// step has nothing to read there.
  func inspect(_ spec: any StepSpec, step: PlannedStep, in context: StepContext) async throws -> StepDescription?
}

extension Executor {
  public var taskKeys: Set<String> { [] }
  public func check(_ spec: any StepSpec, projectRoot: String) -> [Diagnostic] { [] }
  public var mayWriteFiles: Bool { false }
  public func isDestructive(_ spec: any StepSpec) -> Bool? { nil }
  public func inspect(_ spec: any StepSpec, step: PlannedStep, in context: StepContext) async throws
    -> StepDescription?
  { nil }
}

/// An executor's decoded form of one task's action.
public protocol StepSpec: Sendable {}

/// What an executor is given to decode: the action value and the task it sits in.
public struct ActionInput: Sendable {
  public var taskName: String
  public var value: YAMLNode
  /// The whole task mapping, for the executor's own extra keys.
  public var task: [String: YAMLNode]
  /// Absolute directory of the file the task is written in: paths are relative to it.
  public var directory: String
  public var projectRoot: String
  /// Reads a file the step refers to, through the project's loader.
  public var fileExists: @Sendable (String) -> Bool
  /// Plugins declared under `plugins:`, name to absolute path.
  public var plugins: [String: String]

  public init(
    taskName: String, value: YAMLNode, task: [String: YAMLNode], directory: String, projectRoot: String,
    fileExists: @escaping @Sendable (String) -> Bool, plugins: [String: String] = [:]
  ) {
    self.plugins = plugins
    self.taskName = taskName
    self.value = value
    self.task = task
    self.directory = directory
    self.projectRoot = projectRoot
    self.fileExists = fileExists
  }
}

/// A step as a plan shows it.
public struct StepDescription: Sendable, Codable, Hashable {
  public var target: Target?
  /// One line: what the step does ("drop database \"cruddur\"").
  public var summary: String
  /// Further lines: file, digest, statement count, the query text...
  public var details: [String]
  public var isDestructive: Bool
  /// Files the step reads, with the SHA-256 of their bytes: a saved plan is refused when
  /// one changed, and a load refuses to commit bytes other than these.
  public var files: [PlannedFile]
  /// What `inspect` read from the target (the migrations applied there, with digests): a
  /// saved plan is refused when the target no longer says the same. nil when not read.
  public var targetState: [String]?

  public init(
    target: Target?, summary: String, details: [String] = [], isDestructive: Bool = false, files: [PlannedFile] = []
  ) {
    self.target = target
    self.summary = summary
    self.details = details
    self.isDestructive = isDestructive
    self.files = files
  }
}

/// A file a step reads, by project-relative path, with its full SHA-256.
public struct PlannedFile: Sendable, Codable, Hashable {
  public var path: String
  public var sha256: String
  public init(path: String, sha256: String) {
    self.path = path
    self.sha256 = sha256
  }
}

/// Where a step acts; never holds a password.
public struct Target: Sendable, Codable, Hashable, CustomStringConvertible {
  public var host: String
  public var port: String
  public var database: String
  public var user: String
  public init(host: String, port: String, database: String, user: String) {
    self.host = host
    self.port = port
    self.database = database
    self.user = user
  }
  public var description: String { "\(user)@\(host):\(port)/\(database)" }
}
