import CruddurCore

/// One connection per (environment, database), reused across the steps of a run; starts
/// the embedded server the first time an `embedded: true` environment is used.
actor SessionPool: RunResource {
  private var connections: [String: Connection] = [:]
  private var ensured: Set<String> = []

  static func shared(in resources: RunResources) -> SessionPool {
    resources.resource("postgres.sessions") { SessionPool() }
  }

  func connection(to info: ConnInfo, environment: ResolvedEnvironment, projectRoot: String) async throws -> Connection {
    let key = "\(environment.name)\u{0}\(info.database)"
    if let existing = connections[key] { return existing }
    try await ensureServer(info, environment: environment, projectRoot: projectRoot)
    let connection = try await Connection.connect(info)
    connections[key] = connection
    return connection
  }

  /// Drops the cached connection to a database (before DROP DATABASE on it).
  func release(database: String, environment: ResolvedEnvironment) async {
    let key = "\(environment.name)\u{0}\(database)"
    if let connection = connections.removeValue(forKey: key) { await connection.close() }
  }

  func close() async {
    for connection in connections.values { await connection.close() }
    connections = [:]
  }

  private func ensureServer(_ info: ConnInfo, environment: ResolvedEnvironment, projectRoot: String) async throws {
    guard environment.isEmbedded, !ensured.contains(environment.name) else { return }
    ensured.insert(environment.name)
    try await Blocking.run { try LocalCluster.ensureRunning(info, environment: environment, projectRoot: projectRoot) }
  }

}
