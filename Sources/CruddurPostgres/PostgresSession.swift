import CruddurCore

/// How Postgres executors reach their database: parse the environment's URL with libpq,
/// pick the database (the URL's own or the server's maintenance one), and borrow the
/// run's shared connection.
enum PostgresSession {
  /// The database every server has; used to create, drop and inspect other databases.
  static let maintenanceDatabase = "postgres"

  static func info(for environment: ResolvedEnvironment) throws -> ConnInfo {
    try ConnInfo(parsing: environment.url)
  }

  static func connection(_ context: StepContext, maintenance: Bool = false) async throws -> Connection {
    let base = try info(for: context.environment)
    let info = maintenance ? base.with(database: maintenanceDatabase) : base
    do {
      return try await SessionPool.shared(in: context.resources).connection(
        to: info, environment: context.environment, projectRoot: context.projectRoot)
    } catch var error as ConnectionError where context.environment.isEmbedded {
      if error.message.contains("authentication failed") {
        error.help =
          "a server is listening at \(info.host):\(info.port) but it is not this project's embedded server; "
          + "stop it or put another port in the URL of `\(context.environment.name)`"
      }
      throw error
    }
  }

  static func target(_ context: PlanContext, maintenance: Bool = false) throws -> Target {
    let base = try info(for: context.environment)
    return (maintenance ? base.with(database: maintenanceDatabase) : base).target
  }
}
