import CruddurCore
import CruddurProcess
import Foundation

/// `psql: true` (or `psql: ARGS`): hands the terminal to `psql` on the environment's
/// database. The password travels in a temporary password file (`TemporaryPasswordFile`).
public struct PsqlExecutor: Executor {
  public struct Spec: StepSpec {
    var arguments: [String]
  }

  public init() {}
  public var actionKey: String { "psql" }

  public func decode(_ input: ActionInput, diagnostics: inout [Diagnostic]) -> Spec? {
    if case .scalar(let text, true, _) = input.value, text == "true" { return Spec(arguments: []) }
    guard let text = input.value.string, !input.value.isNull, text != "false" else {
      diagnostics.append(
        ConfigErrorKind.invalidValue(
          what: "`psql`", requirement: "be `true` or psql arguments", found: input.value.kindName, suggestion: nil
        ).diagnostic(at: input.value.spanLocation))
      return nil
    }
    switch Self.split(text) {
    case .success(let arguments): return Spec(arguments: arguments)
    case .failure:
      diagnostics.append(ConfigErrorKind.unbalancedQuote(in: "`psql` arguments").diagnostic(at: input.value.spanLocation))
      return nil
    }
  }

  public struct Prepared: Codable, Sendable, Hashable {
    var arguments: [String]
    var target: Target
  }

  public func prepare(_ spec: Spec, in context: PlanContext) throws -> Prepared {
    Prepared(arguments: spec.arguments, target: try PostgresSession.target(context))
  }

  public func describe(_ prepared: Prepared) -> StepDescription {
    StepDescription(
      target: prepared.target,
      summary: (["psql"] + prepared.arguments).joined(separator: " ") + " (interactive)")
  }

  public func run(_ prepared: Prepared, spec: Spec, step: PlannedStep, in context: StepContext)
    async throws
  {
    // Starts the embedded server when the environment has one, and fails here, with
    // cruddur's message, when the server cannot be reached.
    try await PostgresSession.withConnection(context, step: step) { _ in }
    let info = try await PostgresSession.info(for: context.environment).fillingPassword(for: context.environment)
    let passwordFile = try info.password.map { try TemporaryPasswordFile(password: $0) }
    defer { passwordFile?.remove() }
    let process = Self.process(
      for: info, passwordFile: passwordFile, arguments: prepared.arguments,
      environment: try context.processEnvironment())
    if context.isVerbose {
      context.events.emit(.stepCommand(step: step, text: (["psql"] + process.arguments).joined(separator: " ")))
    }
    let termination = try await process.runInForeground(groups: ProcessGroups.shared(in: context.resources))
    if termination.status != 0 { throw PsqlExitError(exitCode: termination.status) }
  }

  /// `psql -d 'CONNINFO-WITHOUT-PASSWORD passfile=FILE' ARGS`: the password reaches psql in
  /// a file of its own (`TemporaryPasswordFile`), never on its command line, where `ps`
  /// shows it, nor in its environment, where `/proc/PID/environ` does.
  public static func process(
    for info: ConnInfo, passwordFile: TemporaryPasswordFile?, arguments: [String],
    environment processEnvironment: [String: String]
  ) -> ChildProcess {
    var childEnvironment = processEnvironment
    for name in ["PGPASSWORD", "DATABASE_URL"] { childEnvironment.removeValue(forKey: name) }
    var options = info.options.filter { $0.key != "password" && $0.key != "passfile" }
    if let passwordFile { options.append(("passfile", passwordFile.path)) }
    let conninfo = options.map { "\($0.key)='\(escape($0.value))'" }.joined(separator: " ")
    return ChildProcess(executable: "psql", arguments: ["-d", conninfo] + arguments, environment: childEnvironment)
  }

  /// Quoting inside a libpq keyword/value string: backslash and single quote escaped.
  static func escape(_ value: String) -> String {
    value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
  }

  /// Splits an argument string on blanks, honouring single and double quotes.
  static func split(_ text: String) -> Result<[String], PsqlArgumentsError> {
    var arguments: [String] = []
    var current = ""
    var quote: Character?
    var hasToken = false
    for character in text {
      if let q = quote {
        if character == q { quote = nil } else { current.append(character) }
      } else if character == "'" || character == "\"" {
        quote = character
        hasToken = true
      } else if character.isWhitespace {
        if hasToken { arguments.append(current) }
        current = ""
        hasToken = false
      } else {
        current.append(character)
        hasToken = true
      }
    }
    if quote != nil { return .failure(PsqlArgumentsError()) }
    if hasToken { arguments.append(current) }
    return .success(arguments)
  }
}

struct PsqlArgumentsError: Error {}

/// psql ended with a non-zero status.
public struct PsqlExitError: CruddurError, ExitCodeReporting {
  public var exitCode: Int32
  public var exitStatus: ExitStatus { .stepFailed }
  public var diagnostics: [Diagnostic] { [.error("psql exited with status \(exitCode)")] }
}
