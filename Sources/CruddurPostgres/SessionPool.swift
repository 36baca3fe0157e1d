import CruddurCore
import CruddurProcess

/// The run's connections, leased to one step at a time: a step borrows a connection for
/// its whole duration and gives it back (postgres-nio's `PostgresClient.withConnection`).
/// An idle connection is reused; a busy one never is, so two parallel steps on one
/// database each get their own session and their own transaction.
actor SessionPool: RunResource {
  /// Who a session is: the same database as another user is another session.
  struct Key: Hashable, Sendable {
    var environment: String
    var host: String
    var port: String
    var database: String
    var user: String
  }

  private var idle: [Key: [Connection]] = [:]
  /// Leased connections, by identity, with the key and the step holding them.
  private var leased: [ObjectIdentifier: (key: Key, holder: String)] = [:]
  /// One start of the embedded server per environment, awaited by every caller, so no
  /// step connects before the server is ready.
  private var serverStarts: [String: Task<Void, any Error>] = [:]
  /// Embedded servers already found to be this project's (or nobody's) in this run.
  private var checkedServers: Set<String> = []
  private var isClosed = false
  /// The run's process groups: an embedded server's initdb and pg_ctl are killed with the
  /// rest on a second Ctrl-C.
  private let groups: ProcessGroups?
  /// Stops a server start under way (its initdb) once a step waiting for it is cancelled.
  private let serverStop = ProcessStop(gracePeriod: .seconds(3))

  init(groups: ProcessGroups? = nil) { self.groups = groups }

  static func shared(in resources: RunResources) -> SessionPool {
    // Fetched before: `resource` holds its lock while making one.
    let groups = ProcessGroups.shared(in: resources)
    return resources.resource("postgres.sessions") { SessionPool(groups: groups) }
  }

  static func key(_ info: ConnInfo, environment: ResolvedEnvironment) -> Key {
    Key(environment: environment.name, host: info.host, port: info.port, database: info.database, user: info.user)
  }

  /// A connection for `holder` alone until it is given back with `giveBack`.
  func lease(
    _ info: ConnInfo, environment: ResolvedEnvironment, projectRoot: String, holder: String,
    events: (any EventSink)? = nil
  ) async throws -> Connection {
    let key = Self.key(info, environment: environment)
    if var free = idle[key], let connection = free.popLast() {
      idle[key] = free
      leased[ObjectIdentifier(connection)] = (key, holder)
      return connection
    }
    let connection: Connection
    do {
      // Connect first, even for an embedded environment: when the server answers (nearly
      // always) that is one connection where a ping before it made two, a third of a
      // one-query run. Only when connecting fails is the server looked for and started.
      connection = try await Connection.connect(info, environment: environment)
    } catch let error as ConnectionError where environment.isEmbedded && !error.message.contains("authentication failed") {
      try await ensureServer(info, environment: environment, projectRoot: projectRoot, events: events)
      connection = try await Connection.connect(info, environment: environment)
    }
    await reportAnswering(info, environment: environment, projectRoot: projectRoot, events: events)
    // Once per server and run: every database of an environment is on the same server.
    let server = "\(environment.name) \(info.host):\(info.port)"
    if environment.isEmbedded, !checkedServers.contains(server) {
      do {
        try await Self.checkOwnServer(connection, projectRoot: projectRoot, environment: environment)
        checkedServers.insert(server)
      } catch {
        await connection.close()
        throw error
      }
    }
    // The actor may have been re-entered while connecting; the new connection is ours alone.
    leased[ObjectIdentifier(connection)] = (key, holder)
    return connection
  }

  /// Takes a leased connection back. It is kept for reuse only if it is idle outside any
  /// transaction; one left mid-transaction or broken (a failed or cancelled step) is closed.
  func giveBack(_ connection: Connection) async {
    guard let entry = leased.removeValue(forKey: ObjectIdentifier(connection)) else { return }
    if !isClosed, await connection.isReusable {
      idle[entry.key, default: []].append(connection)
    } else {
      await connection.close()
    }
  }

  /// Takes a leased connection back and closes it.
  func discard(_ connection: Connection) async {
    leased.removeValue(forKey: ObjectIdentifier(connection))
    await connection.close()
  }

  /// Before DROP DATABASE: closes this run's idle sessions on `database`. A session another
  /// step still holds is not pulled from under it: that is an error.
  func closeIdle(database: String, environment: ResolvedEnvironment) async throws {
    if let holder = leased.values.first(where: { $0.key.environment == environment.name && $0.key.database == database })?
      .holder
    {
      throw RunError(.databaseInUse(database: database, step: holder))
    }
    for key in idle.keys where key.environment == environment.name && key.database == database {
      for connection in idle.removeValue(forKey: key) ?? [] { await connection.close() }
    }
  }

  /// An embedded environment's server must be this project's, or one cruddur did not
  /// start (a server the developer runs themselves); another project's embedded server on
  /// the same port is refused before anything runs on it.
  private static func checkOwnServer(
    _ connection: Connection, projectRoot: String, environment: ResolvedEnvironment
  ) async throws {
    let owner = try await connection.execute("select current_setting('cruddur.project', true)", parameters: [])
    guard let first = owner.rows.first, let directory = first.first ?? nil, !directory.isEmpty else { return }
    let mine = projectRoot + "/.cruddur"
    guard directory != mine else { return }
    throw RunError(
      .foreignEmbeddedServer(
        address: "\(connection.info.host):\(connection.info.port)", directory: directory, environment: environment.name))
  }

  func close() async {
    isClosed = true
    let all = idle.values.flatMap { $0 }
    idle = [:]
    for connection in all { await connection.close() }
  }

  /// After a first connection succeeded: says which server answered, once, as
  /// `ensureServer` does after its ping (the connection was that ping); nothing when
  /// `ensureServer` already ran.
  private func reportAnswering(
    _ info: ConnInfo, environment: ResolvedEnvironment, projectRoot: String, events: (any EventSink)?
  ) async {
    guard environment.isEmbedded, serverStarts[environment.name] == nil else { return }
    let report = Task {
      let report = try await Blocking.run {
        LocalCluster.answeringReport(info, environment: environment, projectRoot: projectRoot)
      }
      events?.emit(.serverReady(report))
    }
    serverStarts[environment.name] = report
    _ = try? await report.value
  }

  /// Which server answers is said once, as an event: Postgres code never prints.
  private func ensureServer(
    _ info: ConnInfo, environment: ResolvedEnvironment, projectRoot: String, events: (any EventSink)?
  ) async throws {
    guard environment.isEmbedded else { return }
    let start: Task<Void, any Error>
    if let existing = serverStarts[environment.name] {
      start = existing
    } else {
      let (stop, groups) = (serverStop, groups)
      start = Task {
        let report = try await Blocking.run {
          try LocalCluster.ensureRunning(
            info, environment: environment, projectRoot: projectRoot, stop: stop, groups: groups)
        }
        if let report { events?.emit(.serverReady(report)) }
      }
      serverStarts[environment.name] = start
    }
    // The start is shared by every step waiting for it and runs on a thread of its own:
    // a waiter's cancellation reaches it only through the stop. Only a stopping run cancels
    // a step while the server starts, so stopping it for all waiters is right.
    let stop = serverStop
    try await withTaskCancellationHandler {
      try await start.value
    } onCancel: {
      stop.stop()
    }
  }
}
