import CruddurCore

/// `database: create | drop | exists`: acts on the URL's database through the server's
/// maintenance database. Names are quoted by libpq, never cut out of the URL text.
public struct DatabaseExecutor: Executor {
  public enum Operation: String, Sendable, Codable, CaseIterable { case create, drop, exists }

  public struct Spec: StepSpec { var operation: Operation }

  public init() {}
  public var actionKey: String { "database" }

  public func decode(_ input: ActionInput, diagnostics: inout [Diagnostic]) -> Spec? {
    let names = Operation.allCases.map(\.rawValue)
    guard let word = input.value.string, let operation = Operation(rawValue: word) else {
      let suggestion = input.value.string.flatMap { Suggestion.closest(to: $0, in: names) }
      diagnostics.append(
        ConfigErrorKind.invalidValue(
          what: "`database`", requirement: "be one of \(names.map { "`\($0)`" }.joined(separator: ", "))", found: nil,
          suggestion: suggestion
        ).diagnostic(at: input.value.spanLocation))
      return nil
    }
    return Spec(operation: operation)
  }

  public func isDestructive(_ spec: Spec) -> Bool? { spec.operation == .drop }

  /// The database named by the URL, and where the step connects to act on it.
  public struct Prepared: Codable, Sendable, Hashable {
    var operation: Operation
    var database: String
    var target: Target
  }

  public func prepare(_ spec: Spec, in context: PlanContext) throws -> Prepared {
    Prepared(
      operation: spec.operation,
      database: try PostgresSession.info(for: context.environment).database,
      target: try PostgresSession.target(context, maintenance: true))
  }

  public func describe(_ prepared: Prepared) -> StepDescription {
    let (database, target) = (prepared.database, prepared.target)
    switch prepared.operation {
    case .create:
      return StepDescription(target: target, summary: "create database \"\(database)\" if it does not exist")
    case .drop:
      return StepDescription(
        target: target, summary: "drop database \"\(database)\" if it exists, ending its sessions",
        isDestructive: true)
    case .exists:
      return StepDescription(target: target, summary: "check that database \"\(database)\" exists")
    }
  }

  public func run(_ prepared: Prepared, spec: Spec, step: PlannedStep, in context: StepContext)
    async throws
  {
    // The database of the environment this run is on, not the planned one: a fleet plans
    // once, on its first target, and runs that plan on every target, so the planned name
    // would make each target create, drop or check the first target's database. On one
    // database the two are the same name (the target's identity is checked before the run).
    let database = try PostgresSession.info(for: context.environment).database
    try await PostgresSession.withConnection(context, step: step, maintenance: true) { connection in
      try await run(prepared.operation, database: database, step: step, on: connection, in: context)
    }
  }

  private func run(
    _ operation: Operation, database: String, step: PlannedStep, on connection: Connection, in context: StepContext
  ) async throws {
    let exists = try await connection.execute(
      "select 1 from pg_catalog.pg_database where datname = $1", parameters: [database]
    ).rows.count == 1
    let quoted = try await connection.quoteIdentifier(database)
    switch operation {
    case .create:
      if exists {
        // One cruddur did not create carries no stamp, so nothing guards it against a
        // mispointed environment: say how to give it one (a stamp is never added silently).
        let environment = context.environment.name
        let unstamped = try await DatabaseStamp.read(of: database, on: connection) == nil
        context.events.emit(
          .stepOutput(
            step: step,
            line: "database \"\(database)\" already exists"
              + (unstamped ? " and has no stamp: `cruddur stamp -e \(environment)` marks it as \(environment)'s" : ""),
            stream: .stdout))
        return
      }
      do {
        if context.isVerbose { context.events.emit(.stepCommand(step: step, text: "CREATE DATABASE \(quoted)")) }
        try await connection.execute("CREATE DATABASE \(quoted)")
        // Stamped with its environment, so a destructive step from another environment
        // (a mispointed URL) is refused on it.
        try await DatabaseStamp.stamp(
          database, environment: context.environment.name, recorded: DatabaseStamp.recorded("database: create"),
          on: connection)
      } catch let error as ServerError where error.sqlState == .duplicateDatabase || error.sqlState == .uniqueViolation {
        // Another session created it between our check and our CREATE (two runs racing):
        // the database exists, which is what was asked. Two CREATEs at the same moment
        // can also collide in pg_database's unique index instead of the name check.
        context.events.emit(.stepOutput(step: step, line: "database \"\(database)\" already exists", stream: .stdout))
      }
    case .drop:
      guard database != PostgresSession.maintenanceDatabase else {
        throw RunError(.dropMaintenanceDatabase(database))
      }
      try await SessionPool.shared(in: context.resources).closeIdle(database: database, environment: context.environment)
      if !exists {
        context.events.emit(.stepOutput(step: step, line: "database \"\(database)\" does not exist", stream: .stdout))
        return
      }
      if context.isVerbose {
        context.events.emit(.stepCommand(step: step, text: "DROP DATABASE IF EXISTS \(quoted) WITH (FORCE)"))
      }
      try await connection.execute("DROP DATABASE IF EXISTS \(quoted) WITH (FORCE)")
    case .exists:
      if !exists { throw RunError(.databaseMissing(database, target: connection.info.description)) }
    }
  }
}
