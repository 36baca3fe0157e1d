/// A task as written in a file, decoded but not yet planned.
public struct TaskDefinition: Sendable {
  public var name: String
  /// Where the task's name is written.
  public var location: SourceLocation
  public var description: String?
  public var deps: [TaskReference]
  public var steps: [TaskReference]
  /// The one action (`sql`, `query`, `database`, ...) with what its executor decoded.
  public var action: Action?
  public var vars: [String: VariableValue]
  public var requires: [String]
  public var params: [String]
  public var isProtected: Bool
  public var isDestructive: Bool
  /// `destructive:` as written, nil when absent: `destructive: false` is the task's word
  /// that a shell or plugin step, which cruddur cannot see into, removes nothing.
  public var declaresDestructive: Bool?
  public var timeout: Double?
  /// A check made just before the step runs; when it holds, the step is skipped.
  public var unless: SkipCondition?
  /// Extra environment variables for the processes the step starts.
  public var env: [String: Template] = [:]

  public init(name: String, location: SourceLocation) {
    self.name = name
    self.location = location
    self.description = nil
    self.deps = []
    self.steps = []
    self.action = nil
    self.vars = [:]
    self.requires = []
    self.params = []
    self.isProtected = false
    self.isDestructive = false
    self.timeout = nil
  }
}

/// A task named in `deps` or `steps`, kept with where it was named.
public struct TaskReference: Sendable, Hashable {
  public var name: String
  public var location: SourceLocation
  public init(name: String, location: SourceLocation) {
    self.name = name
    self.location = location
  }
}

/// A task's action: the executor key, where it was written, and the executor's decoded
/// spec bound to it.
public struct Action: Sendable {
  public var key: String
  public var location: SourceLocation
  public var bound: BoundAction
}

/// A variable: literal text (with `${...}`), or a command evaluated only at run time.
public enum VariableValue: Sendable {
  case template(Template)
  case command(String, SourceLocation)
}

/// `unless:` — skip the step when a query returns a row, or when a command exits 0.
public enum SkipCondition: Sendable {
  case sql(String, SourceLocation)
  case sh(String, SourceLocation)
}
