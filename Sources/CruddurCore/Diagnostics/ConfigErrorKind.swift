/// What is wrong with the configuration (the YAML, the tasks, the variables, the command
/// line's tasks): one case per reason, with the values its message needs. The words of
/// every kind are decided in `diagnostic(at:)` and nowhere else, so tests match the kind
/// and a message changes in one place (just's `CompileErrorKind`); the place is passed in
/// because the kind says what is wrong, not where.
public enum ConfigErrorKind: ErrorKind, Hashable, Codable {
  /// A named place a message points to besides its own (the first definition, an action).
  public struct Place: Sendable, Hashable, Codable {
    public var name: String
    public var location: SourceLocation
    public init(_ name: String, at location: SourceLocation) {
      self.name = name
      self.location = location
    }
  }

  /// The shape a YAML value was expected to have.
  public enum Shape: String, Sendable, Hashable, Codable {
    case mapping, string, boolean
  }

  /// One edge of a dependency cycle: `task` needs `needs`, written at `location`.
  public struct Dependency: Sendable, Hashable, Codable {
    public var task: String
    public var needs: String
    public var location: SourceLocation
    public init(task: String, needs: String, at location: SourceLocation) {
      self.task = task
      self.needs = needs
      self.location = location
    }
  }

  // YAML and files.
  /// `problem` is libyaml's (or the reader's) own wording.
  case unreadableYAML(problem: String)
  /// `context` is libyaml's context, at its place, when it gave one.
  case invalidYAML(problem: String, context: Place?, hasTab: Bool)
  case secondDocument
  case undefinedAlias
  case invalidMergeKey
  case duplicateKey(key: String, firstAt: SourceLocation)
  /// `message` says which byte and why (`UTF8Validator`).
  case invalidUTF8(message: String)
  case fileMissing(path: String)
  case notAFile(shownAs: String, kind: FileKind)
  /// A `${...}` that cannot be read; `message` is the template reader's.
  case invalidTemplate(message: String)

  // Shapes of values; `what` names the value as the message shows it ("`deps`", "task `a`").
  case wrongType(what: String, expected: Shape, found: String)
  /// `scalar` is the value when it was a single string, to suggest `[value]`.
  case notAList(what: String, found: String, scalar: String?)
  case invalidDuration(what: String, found: String)
  case durationNotPositive(what: String, found: String)
  case durationTooLong(what: String, found: String, maximumSeconds: Int)
  case nonStringKey(in: String)
  case unknownKey(key: String, in: String, suggestion: String?)
  case emptyName(what: String)
  case controlCharacterInName(what: String, name: String, codePoint: String)

  // The project file.
  case pluginMissing(name: String, path: String)
  case unsupportedVersion(found: String)
  /// `relativeTo` is the including file, shown when it is not the main one.
  case includeMatchesNothing(pattern: String, isGlob: Bool, relativeTo: String?)
  case environmentWithoutURL(environment: String)
  case multipleDefaultEnvironments(first: Place)

  // Tasks.
  case duplicateTask(name: String, firstAt: SourceLocation)
  /// `actions` are the action keys before the second one, each where it is written.
  case multipleActions(task: String, count: Int, earlier: [Place])
  case stepsAndAction(task: String, action: String)
  /// `action` is the task's action key, nil when it has none; `owners` the executors the key belongs to.
  case keyOfOtherExecutor(key: String, action: String?, owners: [String])
  case taskDoesNothing(task: String, actionKeys: [String])
  case invalidUnless
  /// `in` is the task that names it in `deps`/`steps`, when the message says so.
  case unknownTask(name: String, in: String?, suggestion: String?)
  /// `path` starts and ends with the same task.
  case dependencyCycle(path: [String], edges: [Dependency])

  // Executors' values. `requirement` is worded by the executor ("be the path of a SQL
  // file", "name a plugin"), so Core stays free of any one executor.
  /// `found` is what was there, when the message shows it; `suggestion` the closest allowed value.
  case invalidValue(what: String, requirement: String, found: String?, suggestion: String?)
  case unbalancedQuote(in: String)

  // The command line's tasks.
  /// `after` is the invocation before the word, whose parameters were all taken.
  case unknownInvokedTask(name: String, suggestion: String?, after: Invocation?)
  case taskNamedTwice(name: String)

  // Variables and environments.
  case variableNotSet(name: String)
  /// `${NAME:?message}`; an empty `message` says the variable is not set.
  case requiredVariableMissing(name: String, message: String)
  /// `cycle` starts and ends with the same variable; `values` are the templates on it.
  case variableCycle(in: String, cycle: [String], values: [Place])
  case unknownEnvironment(
    name: String, fromEnvironmentVariable: Bool, suggestion: String?, names: [String])
  case noEnvironments
  case noEnvironmentSelected
  /// `origin` names the URL ("the URL of `prod` (from DATABASE_URL)").
  case ambiguousURL(origin: String, reason: String)
  case unparsableURL(origin: String, reason: String)

  // The command line.
  case configFileMissing(path: String)
  case noConfigFound(directory: String)
  /// `assignment` is the word after `--set`.
  case invalidAssignment(String)
  /// A warning: `--set NAME` where the project uses `suggestion`.
  case unusedSetVariable(name: String, suggestion: String)
  /// A first word close to the command `suggestion`.
  case unknownCommandOrTask(word: String, suggestion: String)
  /// `cruddur help NAME`; `suggestion` a command or task it may have meant.
  case noCommandOrTask(name: String, suggestion: String?)
  case cannotRead(path: String)
  case notEmbedded(environment: String)
  /// `init` found these files in the folder.
  case initFilesExist([String])

  // Plans.
  /// `params` are all of the task's parameters, in order; `position` is 1-based.
  case missingParameter(task: String, name: String, position: Int, params: [String])
  case requiredVariablesUnset(task: String, names: [String])
  /// `reason` is the failure's description, redacted.
  case cannotPlan(task: String, reason: String)
  case notASavedPlan(path: String)
  case unsupportedPlanVersion(path: String, version: Int, supported: Int)
  /// `--set NAME` where nothing (no task, variable or executor) reads `NAME`.
  case unreadSetVariable(name: String, suggestion: String?)
  /// A leftover word on the command line that names an environment, not a task.
  case environmentAsWord(word: String, after: String?)
  /// A saved plan of another format (`found` is its `format` field, or nil).
  case otherPlanFormat(path: String, found: String?, expected: String, version: Int, supported: Int)
  /// A file given to `apply` that is no saved plan this cruddur reads; `found` says what it is.
  case unreadablePlan(path: String, found: String)

  /// The case's name, for machines (JSON, test output): `unknownKey`, `dependencyCycle`.
  public var name: String { code }

  /// A configuration problem ends the process with status 2.
  public var exitStatus: ExitStatus { .configError }

  /// The kind in words at `location`: message, label, notes and help. The diagnostic
  /// keeps the kind, so whoever collects diagnostics can still match it.
  public func diagnostic(at location: SourceLocation? = nil) -> Diagnostic {
    var diagnostic = words(at: location)
    diagnostic.errorKind = self
    return diagnostic
  }

  private func words(at location: SourceLocation?) -> Diagnostic {
    switch self {
    case .unreadableYAML(let problem):
      return .error("cannot read YAML: \(problem)", at: location)
    case .invalidYAML(let problem, let context, let hasTab):
      return .error(
        "invalid YAML: \(problem)", at: location,
        notes: context.map { [.init($0.name, at: $0.location)] } ?? [],
        help: hasTab ? "YAML indents with spaces; this line has a tab" : nil)
    case .secondDocument:
      return .error(
        "invalid YAML: a second document starts here; a cruddur file holds one", at: location,
        help: "remove the `---` line, or move what follows into a file of its own under `include:`")
    case .undefinedAlias:
      return .error("invalid YAML: found undefined alias", at: location)
    case .invalidMergeKey:
      return .error("a merge key `<<` takes a mapping or a list of mappings", at: location)
    case .duplicateKey(let key, let first):
      return .error(
        "duplicate key `\(key)`", at: location, label: "`\(key)` is already defined",
        notes: [.init("first defined here", at: first)])
    case .invalidUTF8(let message):
      return .error(message, at: location)
    case .fileMissing(let path):
      return .error("cannot read `\(path)`: no such file", at: location)
    case .notAFile(let shown, let kind):
      return .error(kind.problem(shownAs: shown) ?? "cannot read `\(shown)`", at: location)
    case .invalidTemplate(let message):
      return .error(message, at: location)

    case .wrongType(let what, let expected, let found):
      let shape =
        switch expected {
        case .mapping: "a mapping"
        case .string: "a string"
        case .boolean: "true or false"
        }
      return .error("\(what) must be \(shape), found \(found)", at: location)
    case .notAList(let what, let found, let scalar):
      return .error(
        "\(what) must be a list, found \(found)", at: location,
        help: scalar.map { "write it as `[\($0)]`" })
    case .invalidDuration(let what, let found):
      return .error(
        "\(what) must be a duration such as `90s`, `2m`, `1h30m` or `500ms`, or a number of seconds; found \(found)",
        at: location)
    case .durationNotPositive(let what, let found):
      return .error("\(what) must be more than 0 seconds, found \(found)", at: location)
    case .durationTooLong(let what, let found, let maximum):
      return .error(
        "\(what) must be at most a week (\(maximum) seconds), found \(found)", at: location)
    case .nonStringKey(let what):
      return .error("keys in \(what) must be strings", at: location)
    case .unknownKey(let key, let what, let suggestion):
      return .error(
        "unknown key `\(key)` in \(what)", at: location, label: Self.didYouMean(suggestion))
    case .emptyName(let what):
      return .error("\(what) must not be empty", at: location)
    case .controlCharacterInName(let what, let name, let codePoint):
      return .error(
        "\(what) `\(name.terminalSafe)` contains a control character (\(codePoint))", at: location)

    case .pluginMissing(let name, let path):
      return .error("plugin `\(name)`: `\(path)` does not exist", at: location)
    case .unsupportedVersion(let found):
      return .error(
        "unsupported version `\(found)`", at: location, help: "this cruddur reads `version: 1`")
    case .includeMatchesNothing(let pattern, let isGlob, let relativeTo):
      return .error(
        isGlob ? "`\(pattern)` matches no file" : "included file `\(pattern)` does not exist",
        at: location,
        help: relativeTo.map { "paths are relative to the file they are written in (\($0))" })
    case .environmentWithoutURL(let environment):
      return .error("environment `\(environment)` has no `url`", at: location)
    case .multipleDefaultEnvironments(let first):
      return .error(
        "more than one environment is marked `default: true`", at: location,
        notes: [.init("`\(first.name)` is also the default", at: first.location)])

    case .duplicateTask(let name, let first):
      return .error(
        "task `\(name)` is defined twice", at: location,
        notes: [.init("first defined here", at: first)])
    case .multipleActions(let task, let count, let earlier):
      return .error(
        "task `\(task)` has \(count) actions; a task has exactly one", at: location,
        notes: earlier.map { .init("`\($0.name)` is here", at: $0.location) },
        help: "split it into tasks and list them under `steps:`")
    case .stepsAndAction(let task, let action):
      return .error(
        "task `\(task)` has both `steps` and `\(action)`", at: location,
        help: "move `\(action)` into a task of its own and list it under `steps:`")
    case .keyOfOtherExecutor(let key, let action, let owners):
      return .error(
        action.map { "`\(key)` does nothing on a `\($0)` task" }
          ?? "`\(key)` does nothing on a task without an action",
        at: location, help: "`\(key)` belongs to \(Self.quoted(owners)) tasks; remove it here")
    case .taskDoesNothing(let task, let actionKeys):
      return .error(
        "task `\(task)` does nothing", at: location,
        help: "give it one of \(Self.quoted(actionKeys)), or `steps:`")
    case .invalidUnless:
      return .error("`unless` must be `{ sql: QUERY }` or `{ sh: COMMAND }`", at: location)
    case .unknownTask(let name, let task, let suggestion):
      return .error(
        "unknown task `\(name)`" + (task.map { " in `\($0)`" } ?? ""), at: location,
        label: Self.didYouMean(suggestion))
    case .dependencyCycle(let path, let edges):
      return .error(
        "dependency cycle: \(path.map { "`\($0)`" }.joined(separator: " -> "))", at: location,
        notes: edges.map { .init("`\($0.task)` needs `\($0.needs)`", at: $0.location) })

    case .invalidValue(let what, let requirement, let found, let suggestion):
      return .error(
        "\(what) must \(requirement)" + (found.map { ", found \($0)" } ?? ""), at: location,
        label: Self.didYouMean(suggestion))
    case .unbalancedQuote(let what):
      return .error("unbalanced quote in \(what)", at: location)

    case .unknownInvokedTask(let name, let suggestion, let previous):
      if let suggestion {
        return .error("unknown task `\(name)`", at: location, help: "did you mean `\(suggestion)`?")
      }
      if let previous {
        let count = previous.arguments.count
        return .error(
          "unknown task `\(name)`", at: location,
          help:
            count == 0
            ? "`\(previous.task)` takes no parameters; `cruddur list` shows the tasks"
            : "`\(previous.task)` takes \(count) parameter\(count == 1 ? "" : "s"); "
              + "`cruddur help \(previous.task)` shows them, `cruddur list` shows the tasks")
      }
      return .error("unknown task `\(name)`", at: location, help: "`cruddur list` shows the tasks")
    case .taskNamedTwice(let name):
      return .error(
        "task `\(name)` is named twice with different parameters", at: location,
        help: "a task runs once per run; run it again in another command")

    case .variableNotSet(let name):
      return .error(
        "variable `\(name)` is not set", at: location,
        help: "set it in the environment, in `vars:`, or with `--set \(name)=...`")
    case .requiredVariableMissing(let name, let message):
      return .error(
        message.isEmpty ? "variable `\(name)` is not set" : message, at: location,
        label: "`\(name)` is not set")
    case .variableCycle(let what, let cycle, let values):
      return .error(
        "variables in \(what) refer to each other in a cycle: \(cycle.map { "`\($0)`" }.joined(separator: " → "))",
        at: location, notes: values.map { .init($0.name, at: $0.location) },
        help: "give one of them a value that does not use the others")
    case .unknownEnvironment(let name, let fromEnvironmentVariable, let suggestion, let names):
      return .error(
        "unknown environment `\(name)`" + (fromEnvironmentVariable ? " (from CRUDDUR_ENV)" : ""),
        at: location,
        help: suggestion.map { "did you mean `\($0)`?" } ?? "environments: \(Self.quoted(names))")
    case .noEnvironments:
      return .error(
        "no environments are declared", at: location,
        help: "add `environments:` with at least one `url:`")
    case .noEnvironmentSelected:
      return .error(
        "no environment selected", at: location,
        help: "pass `-e NAME`, set CRUDDUR_ENV, or mark one `default: true`")
    case .ambiguousURL(let origin, let reason):
      var diagnostic = Diagnostic.error(
        "\(origin) is ambiguous: \(reason)", at: location,
        help:
          "percent-encode the password (`@` is %40, `:` is %3A, `/` is %2F, a space %20, `%` %25)")
      // The line holds the password cruddur could not locate in it.
      diagnostic.hidesSourceLine = true
      return diagnostic
    case .unparsableURL(let origin, let reason):
      var diagnostic = Diagnostic.error(
        "cannot read \(origin): \(reason)", at: location,
        help: "write it as postgresql://user:password@host:port/database or as key=value pairs")
      diagnostic.hidesSourceLine = true
      return diagnostic

    case .configFileMissing(let path):
      return .error("no such config file: \(path)", at: location)
    case .noConfigFound(let directory):
      return .error(
        "no cruddur.yml in \(directory) or any folder above it", at: location,
        help: "run `cruddur init` to create one, or pass `-f FILE`")
    case .invalidAssignment(let assignment):
      return .error("`--set \(assignment)` must look like `name=value`", at: location)
    case .unusedSetVariable(let name, let suggestion):
      // Only a warning: the name may still be meant for a shell step's environment.
      return Diagnostic(
        .warning, "`--set \(name)` names a variable this project does not use", at: location,
        help: "did you mean `\(suggestion)`?")
    case .unknownCommandOrTask(let word, let suggestion):
      return .error("unknown command or task `\(word)`", at: location, help: "did you mean `\(suggestion)`?")
    case .noCommandOrTask(let name, let suggestion):
      return .error(
        "no command or task `\(name)`", at: location,
        help: suggestion.map { "did you mean `\($0)`?" }
          ?? "`cruddur list` shows the tasks, `cruddur --help` the commands")
    case .cannotRead(let path):
      return .error("cannot read `\(path)`", at: location)
    case .notEmbedded(let environment):
      return .error(
        "environment `\(environment)` is not `embedded: true`", at: location, help: "pick one with `-e NAME`")
    case .initFilesExist(let files):
      return .error(
        "\(files.joined(separator: ", ")) already exist\(files.count == 1 ? "s" : ""); init writes nothing",
        at: location, help: "remove them or run init in an empty folder")

    case .missingParameter(let task, let name, let position, let params):
      return .error(
        "task `\(task)` needs parameter `\(name)` ($\(position))", at: location,
        help:
          "pass \(params.map { "<\($0)>" }.joined(separator: " ")) after the task name, or `--set \(name)=...`"
      )
    case .requiredVariablesUnset(let task, let names):
      return .error(
        "task `\(task)` requires \(names.map { "`\($0)`" }.joined(separator: ", ")), which \(names.count == 1 ? "is" : "are") not set",
        at: location,
        help:
          "set \(names.count == 1 ? "it" : "them") in the environment or with `--set NAME=value`")
    case .cannotPlan(let task, let reason):
      return .error("cannot plan `\(task)`: \(reason)", at: location)
    case .notASavedPlan(let path):
      return .error(
        "`\(path)` is not a saved cruddur plan", at: location,
        help: "make one with `cruddur plan TASK --out \(path)`")
    case .unsupportedPlanVersion(let path, let version, let supported):
      return .error(
        "`\(path)` is a plan of version \(version); this cruddur reads version \(supported)",
        at: location)
    case .unreadSetVariable(let name, let suggestion):
      return .error(
        "`--set \(name)` names a variable nothing reads: no task, variable or executor of this project uses it",
        at: location,
        help: suggestion.map { "did you mean `\($0)`?" }
          ?? "a program a shell step runs reads the process environment: set it there (`\(name)=... cruddur ...`)")
    case .environmentAsWord(let word, let after):
      return .error(
        "`\(word)` is an environment, not \(after.map { "a parameter of `\($0)`" } ?? "a task")", at: location,
        help: "did you mean `-e \(word)`?")
    case .otherPlanFormat(let path, let found, let expected, let version, let supported):
      return .error(
        "`\(path)` is not a plan this cruddur reads: it says format \(found.map { "`\($0)`" } ?? "(none)") "
          + "version \(version); this cruddur reads format `\(expected)` version \(supported)",
        at: location, help: "make the plan again with this cruddur: `cruddur plan TASK --out \(path)`")
    case .unreadablePlan(let path, let found):
      return .error(
        "`\(path)` is not a saved cruddur plan: \(found)", at: location,
        help: "a saved plan is JSON with format `cruddur-plan`, made by `cruddur plan TASK --out \(path)`")
    }
  }

  private static func didYouMean(_ suggestion: String?) -> String? {
    suggestion.map { "did you mean `\($0)`?" }
  }

  private static func quoted(_ names: [String]) -> String {
    names.map { "`\($0)`" }.joined(separator: ", ")
  }
}
