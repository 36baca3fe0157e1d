import CruddurCore
import Synchronization

/// How Postgres executors reach their database: parse the environment's URL (once),
/// pick the database (the URL's own or the server's maintenance one), and lease a
/// connection from the run's pool for the step's whole duration.
enum PostgresSession {
  /// The database every server has; used to create, drop and inspect other databases.
  static let maintenanceDatabase = "postgres"

  /// Each URL is parsed once per process, however many steps and plan lines use it.
  static func info(for environment: ResolvedEnvironment) throws -> ConnInfo {
    let key = environment.url.secretValue
    if let known = parsed.withLock({ $0[key] }) { return known }
    let info = try ConnInfo(parsing: environment.url)
    parsed.withLock { $0[key] = info }
    return info
  }
  private static let parsed = Mutex<[String: ConnInfo]>([:])

  /// Runs `body` with a connection no other step uses meanwhile, then gives it back; the
  /// server's notices meanwhile are the step's output.
  static func withConnection<T: Sendable>(
    _ context: StepContext, step: PlannedStep, maintenance: Bool = false,
    _ body: (Connection) async throws -> T
  ) async throws -> T {
    let base = try info(for: context.environment)
    let leases = Leases(context: context, step: step)
    do {
      let connection = try await leases.connection(to: maintenance ? base.with(database: maintenanceDatabase) : base)
      let result = try await body(connection)
      await leases.giveBackAll()
      return result
    } catch {
      await leases.giveBackAll()
      throw error
    }
  }

  static func target(_ context: PlanContext, maintenance: Bool = false) throws -> Target {
    let base = try info(for: context.environment)
    return (maintenance ? base.with(database: maintenanceDatabase) : base).target
  }

  /// The connections one step holds: its first one and those `\connect` opens. A step that
  /// connects twice to the same database gets its own connection back.
  final class Leases: Sendable {
    let context: StepContext
    let step: PlannedStep
    private let held = Mutex<[(key: SessionPool.Key, connection: Connection)]>([])

    init(context: StepContext, step: PlannedStep) {
      self.context = context
      self.step = step
    }

    func connection(to info: ConnInfo) async throws -> Connection {
      let key = SessionPool.key(info, environment: context.environment)
      if let mine = held.withLock({ list in list.first { $0.key == key }?.connection }) { return mine }
      let connection = try await PostgresSession.lease(info, context: context, holder: step.task)
      let events = context.events
      let step = step
      connection.onNotice { message in events.emit(.stepOutput(step: step, line: message, stream: .notice)) }
      held.withLock { $0.append((key, connection)) }
      return connection
    }

    /// Ends a session the step no longer wants (psql's `\connect` leaving it), instead of
    /// keeping it for reuse.
    func close(_ connection: Connection) async {
      held.withLock { list in list.removeAll { $0.connection === connection } }
      connection.onNotice(nil)
      await SessionPool.shared(in: context.resources).discard(connection)
    }

    func giveBackAll() async {
      let all = held.withLock { list in
        defer { list = [] }
        return list.map(\.connection)
      }
      let pool = SessionPool.shared(in: context.resources)
      for connection in all {
        connection.onNotice(nil)
        await pool.giveBack(connection)
      }
    }
  }

  private static func lease(_ info: ConnInfo, context: StepContext, holder: String) async throws -> Connection {
    do {
      return try await SessionPool.shared(in: context.resources).lease(
        info, environment: context.environment, projectRoot: context.projectRoot, holder: holder,
        events: context.events)
    } catch var error as ConnectionError where context.environment.isEmbedded {
      if error.message.contains("authentication failed") {
        let cluster = LocalCluster(projectRoot: context.projectRoot, info: info)
        if case .running = cluster.status() {
          let name = context.environment.name
          if let role = cluster.createdRole, role != info.user {
            error.help =
              "this project's embedded server (.cruddur/data) was created for role `\(role)`, not `\(info.user)`; "
              + "put `\(role)` back in the URL of `\(name)`, or start afresh with `cruddur local reset -e \(name)` "
              + "(it deletes the local data)"
          } else {
            error.help =
              "this project's embedded server (.cruddur/data) was created with another password for `\(info.user)`; "
              + "put that one back in the URL of `\(name)`, or start afresh with `cruddur local reset -e \(name)` "
              + "(it deletes the local data)"
          }
        } else {
          error.help =
            "a server is listening at \(info.host):\(info.port) but it is not this project's embedded server; "
            + "stop it or put another port in the URL of `\(context.environment.name)`"
        }
      }
      throw error
    }
  }
}
