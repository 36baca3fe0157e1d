import Foundation

/// The one protocol every step kind implements. Core knows nothing of what an executor
/// does; it hands over the YAML, asks for a description for plans, and asks it to run.
/// Each executor has its own typed `Spec`; core keeps decoded specs behind `BoundAction`,
/// so no executor ever casts one back.
public protocol Executor: Sendable {
  associatedtype Spec: StepSpec
  /// The task key this executor owns (`sql`, `query`, `shell`, ...).
  var actionKey: String { get }
  /// Further task keys it reads besides its action key (`transaction`, `on`, ...); they
  /// are errors on a task of another executor.
  var taskKeys: Set<String> { get }
  /// Decodes the action; problems go to `diagnostics`, with locations.
  func decode(_ input: ActionInput, diagnostics: inout [Diagnostic]) -> Spec?
  /// Everything the step's plan shows and a saved plan stores (the resolved target, file
  /// digests, statement verdicts, ...): made once per step by `prepare`, formatted by
  /// `describe`, and what `run` executes. A saved plan keeps it as typed JSON, and `apply`
  /// compares it as a value.
  associatedtype Prepared: Codable & Sendable & Hashable
  /// What the step will do, without side effects: no connection, no process (a plugin's
  /// own `describe` excepted). Called once per planned step.
  func prepare(_ spec: Spec, in context: PlanContext) throws -> Prepared
  /// The step as a plan shows it: formatting of `prepared` alone.
  func describe(_ prepared: Prepared) -> StepDescription
  /// Runs exactly `prepared`, reporting through `context.events`; honours task
  /// cancellation. `spec` gives the task's own settings, which `prepared` does not repeat.
  func run(_ prepared: Prepared, spec: Spec, step: PlannedStep, in context: StepContext)
    async throws
  /// What `cruddur validate` checks beyond decoding, for every task whether planned or not
  /// (the files a step reads, their contents); plans check only their own steps.
  func check(_ spec: Spec, projectRoot: String) -> [Diagnostic]
  /// Whether the step may write files a later step reads (a shell command, a plugin).
  var mayWriteFiles: Bool { get }
  /// Whether the step is destructive whatever the environment, known without reading a
  /// file (`database: drop`); nil when only a plan can tell (a SQL file's statements).
  /// `list` marks tasks with it, since it must stay fast and never read SQL files.
  func isDestructive(_ spec: Spec) -> Bool?
  /// For `plan --check` and saved plans: `prepared` as its target says now (which
  /// migrations are pending there), read without writing anything; nil when the step has
  /// nothing to read there. `describe` shows either value; a saved plan stores the one read,
  /// and `apply` refuses it when the target no longer reads the same (`saved != inspected`).
  func inspect(_ prepared: Prepared, spec: Spec, step: PlannedStep, in context: StepContext)
    async throws
    -> Prepared?
  /// Folders the step reads as a whole, absolute (a migrate step's migrations): where
  /// `cruddur new migration` writes.
  func folders(_ spec: Spec) -> [String]
  /// Variable names the step reads besides `${...}` in the task's own values (a migrate
  /// step's `STEP`, what a shell command names as `$X`); nil when it may read any (a plugin,
  /// which is given them all). What `--set` is checked against: nothing typed is ignored.
  func variablesRead(_ spec: Spec) -> Set<String>?
}

extension Executor {
  public var taskKeys: Set<String> { [] }
  public func check(_ spec: Spec, projectRoot: String) -> [Diagnostic] { [] }
  public var mayWriteFiles: Bool { false }
  public func isDestructive(_ spec: Spec) -> Bool? { nil }
  public func inspect(_ prepared: Prepared, spec: Spec, step: PlannedStep, in context: StepContext)
    async throws
    -> Prepared?
  {
    nil
  }
  public func folders(_ spec: Spec) -> [String] { [] }
  public func variablesRead(_ spec: Spec) -> Set<String>? { [] }

  /// Decodes and binds the spec to this executor, for core to keep without its type.
  public func bind(_ input: ActionInput, diagnostics: inout [Diagnostic]) -> BoundAction? {
    decode(input, diagnostics: &diagnostics).map { BoundAction(self, spec: $0) }
  }
}

/// A decoded action with the executor that owns it, its type erased: what core stores in
/// a task, and calls to check and prepare the step.
public struct BoundAction: Sendable {
  public let key: String
  public let mayWriteFiles: Bool
  /// `Executor.folders` of the spec.
  public let folders: [String]
  /// `Executor.variablesRead` of the spec.
  public let variablesRead: Set<String>?
  private let prepareBody: @Sendable (PlanContext) throws -> PreparedAction
  private let checkBody: @Sendable (String) -> [Diagnostic]
  private let destructiveBody: @Sendable () -> Bool?

  public init<E: Executor>(_ executor: E, spec: E.Spec) {
    key = executor.actionKey
    mayWriteFiles = executor.mayWriteFiles
    folders = executor.folders(spec)
    variablesRead = executor.variablesRead(spec)
    prepareBody = { PreparedAction(executor, spec: spec, prepared: try executor.prepare(spec, in: $0)) }
    checkBody = { executor.check(spec, projectRoot: $0) }
    destructiveBody = { executor.isDestructive(spec) }
  }

  /// The step's `Prepared` value made for `context` (`Executor.prepare`): what a plan
  /// step carries and runs.
  public func prepare(in context: PlanContext) throws -> PreparedAction { try prepareBody(context) }
  public func check(projectRoot: String) -> [Diagnostic] { checkBody(projectRoot) }
  public var isDestructive: Bool? { destructiveBody() }
}

/// A prepared step with the executor that owns it, its `Prepared` value's type erased:
/// what a plan step carries, shows (`description`), compares and runs.
public struct PreparedAction: Sendable {
  public let key: String
  public let mayWriteFiles: Bool
  /// The step as a plan shows it (`Executor.describe` of the value).
  public let description: StepDescription
  private let value: any Sendable
  private let runBody: @Sendable (PlannedStep, StepContext) async throws -> Void
  private let inspectBody: @Sendable (PlannedStep, StepContext) async throws -> PreparedAction?
  private let encodeBody: @Sendable () throws -> Data
  private let decodeBody: @Sendable (Data) throws -> PreparedAction
  private let sameBody: @Sendable (any Sendable) -> Bool

  init<E: Executor>(_ executor: E, spec: E.Spec, prepared: E.Prepared) {
    key = executor.actionKey
    mayWriteFiles = executor.mayWriteFiles
    description = executor.describe(prepared)
    value = prepared
    runBody = { try await executor.run(prepared, spec: spec, step: $0, in: $1) }
    inspectBody = {
      try await executor.inspect(prepared, spec: spec, step: $0, in: $1).map {
        PreparedAction(executor, spec: spec, prepared: $0)
      }
    }
    encodeBody = {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      return try encoder.encode(prepared)
    }
    decodeBody = {
      PreparedAction(executor, spec: spec, prepared: try JSONDecoder().decode(E.Prepared.self, from: $0))
    }
    sameBody = { ($0 as? E.Prepared) == prepared }
  }

  /// The same step carrying `data` decoded as its executor's `Prepared` (a saved plan's).
  public func decodingPrepared(_ data: Data) throws -> PreparedAction { try decodeBody(data) }

  /// The prepared value as JSON (sorted keys): what a saved plan stores.
  public func encodedPrepared() throws -> Data { try encodeBody() }

  /// Whether both carry the same prepared value, compared as values of one executor's type.
  public func hasSamePrepared(as other: PreparedAction) -> Bool { key == other.key && sameBody(other.value) }

  public func run(step: PlannedStep, in context: StepContext) async throws { try await runBody(step, context) }
  /// The same step carrying its `Prepared` value as its target says now (`Executor.inspect`);
  /// nil when it reads nothing there.
  public func inspect(step: PlannedStep, in context: StepContext) async throws -> PreparedAction? {
    try await inspectBody(step, context)
  }
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
  /// The statements that make the step destructive, or whose effect cannot be seen
  /// (`PlannedStatement.verdict`), where they are written.
  public var destructiveStatements: [PlannedStatement]
  /// Why what the step does cannot be known before it runs ("a shell command", "2
  /// statements cruddur cannot see through"): on a protected environment it needs consent
  /// like a destructive step. nil when its effect is known.
  public var effectUnknown: String?
  /// What `inspect` read from the target (the migrations applied there, with digests): a
  /// saved plan is refused when the target no longer says the same. nil when not read.
  public var targetState: [String]?

  public init(
    target: Target?, summary: String, details: [String] = [], isDestructive: Bool = false, files: [PlannedFile] = [],
    destructiveStatements: [PlannedStatement] = []
  ) {
    self.target = target
    self.summary = summary
    self.details = details
    self.isDestructive = isDestructive
    self.files = files
    self.destructiveStatements = destructiveStatements
  }
}

/// A file a step reads, by project-relative path, with its full SHA-256 and, for SQL, its
/// size and statement count.
public struct PlannedFile: Sendable, Codable, Hashable {
  public var path: String
  public var sha256: String
  public var bytes: Int?
  public var statements: Int?
  public init(path: String, sha256: String, bytes: Int? = nil, statements: Int? = nil) {
    self.path = path
    self.sha256 = sha256
    self.bytes = bytes
    self.statements = statements
  }
}

/// A destructive statement (or action) of a step, or one whose effect cannot be seen:
/// what it is and where it is written.
public struct PlannedStatement: Sendable, Codable, Hashable {
  /// What it destroys, or why it cannot be seen through: "DROP TABLE public.t", "DELETE
  /// without WHERE on t", "dynamic EXECUTE in a DO block".
  public var kind: String
  /// Its first line, shortened.
  public var text: String
  public var file: String?
  public var line: Int?
  /// "destructive" or "unknown"; nil (plans saved before it existed) means destructive.
  public var verdict: String?
  public init(kind: String, text: String, file: String? = nil, line: Int? = nil, verdict: String? = nil) {
    self.kind = kind
    self.text = text
    self.file = file
    self.line = line
    self.verdict = verdict
  }

  public var isUnknown: Bool { verdict == "unknown" }

  /// "destructive: DROP TABLE public.t (db/schema.sql:4)", as plans show it.
  public var shown: String {
    let place = file.map { " (\($0):\(line ?? 0))" } ?? ""
    return "\(isUnknown ? "unknown" : "destructive"): \(kind)\(place)"
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
