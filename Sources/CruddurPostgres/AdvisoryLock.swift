import CruddurCore
import CruddurDigest
import Foundation

/// One destructive run at a time per target database, and never on a database another
/// environment owns. Held as a session-level advisory lock on a connection of its own to
/// the server's maintenance database, for the whole run; released when that connection
/// closes (also if cruddur dies). Taken with `pg_try_advisory_lock`, polled: the blocking
/// `pg_advisory_lock` can deadlock against `CREATE INDEX CONCURRENTLY`, which waits for
/// every older transaction. A fleet's targets take theirs on one session per server
/// (`FleetLockSessions`) and release it by key.
public final class AdvisoryLock: Sendable {
  private let connection: Connection
  /// The key to unlock on release when the session is shared; nil when it is the lock's own.
  private let sharedKey: Int64?

  private init(connection: Connection, sharedKey: Int64? = nil) {
    self.connection = connection
    self.sharedKey = sharedKey
  }

  /// Takes the lock for `executable`'s target when it has destructive database steps (nil
  /// otherwise), after checking the target's stamp. With `wait`, polls until free; without,
  /// fails fast naming the holder.
  public static func acquire(
    for executable: ExecutablePlan, resources: RunResources, projectRoot: String, wait: Bool,
    events: (any EventSink)? = nil, onWait: @escaping @Sendable (String) -> Void = { _ in }
  ) async throws -> AdvisoryLock? {
    let locks = RunLocks.shared(in: resources)
    await locks.configure(wait: wait, onWait: onWait)
    guard executable.plan.steps.contains(where: { $0.isDestructive && $0.description.target != nil }) else {
      return nil
    }
    let environment = executable.environment
    let target = try PostgresSession.info(for: environment)
    let lock = try await acquire(
      target: target, environment: environment, resources: resources, projectRoot: projectRoot, wait: wait,
      events: events, onWait: onWait)
    await locks.hold(lock, for: target, environment: environment)
    return lock
  }

  /// Takes the lock on `target`'s database (from its server's maintenance database).
  static func acquire(
    target: ConnInfo, environment: ResolvedEnvironment, resources: RunResources, projectRoot: String, wait: Bool,
    events: (any EventSink)?, onWait: @Sendable (String) -> Void
  ) async throws -> AdvisoryLock {
    let fleet = resources.resource(FleetLockSessions.Handle.key) { FleetLockSessions.Handle(sessions: nil) }.sessions
    let connection: Connection
    if let fleet {
      connection = try await fleet.session(for: target, environment: environment)
    } else {
      var info = target.with(database: PostgresSession.maintenanceDatabase)
      info["application_name"] = holderName()
      connection = try await SessionPool.shared(in: resources).lease(
        info, environment: environment, projectRoot: projectRoot, holder: "the run lock", events: events)
    }
    let key = lockKey(target)
    var isTaken = false
    do {
      var announced = false
      while true {
        let taken = try await connection.execute("select pg_try_advisory_lock($1::bigint)", parameters: [String(key)])
        if taken.rows.first?.first == "t" {
          isTaken = true
          break
        }
        let who = try await connection.execute(
          """
          select a.application_name from pg_catalog.pg_locks l join pg_catalog.pg_stat_activity a using (pid)
          where l.locktype = 'advisory' and l.granted and l.objsubid = 1
            and l.classid = (($1::bigint >> 32) & 4294967295)::oid and l.objid = ($1::bigint & 4294967295)::oid
          """, parameters: [String(key)])
        let description = describe(holder: who.rows.first?.first ?? nil)
        let place = "\(environment.name)/\(target.database)"
        guard wait else {
          throw RunError(.runLockHeld(holder: description, place: place))
        }
        if !announced {
          onWait("waiting for another cruddur run (\(description)) to release \(place)")
          announced = true
        }
        try await Task.sleep(for: .milliseconds(200))
      }
      try await checkStamp(of: target.database, on: connection, environment: environment)
      return AdvisoryLock(connection: connection, sharedKey: fleet == nil ? nil : key)
    } catch {
      if fleet == nil {
        await connection.close()
      } else if isTaken {
        _ = try? await connection.execute("select pg_advisory_unlock($1::bigint)", parameters: [String(key)])
      }
      throw error
    }
  }

  public func release() async {
    guard let sharedKey else { return await connection.close() }
    // A lost session released every lock it held already.
    _ = try? await connection.execute("select pg_advisory_unlock($1::bigint)", parameters: [String(sharedKey)])
  }

  /// The lock session's `application_name`: who holds the lock, for a second run to name.
  static func holderName() -> String {
    "cruddur pid=\(getpid()) host=\(ProcessInfo.processInfo.hostName) since=\(Self.now())"
  }

  /// A database cruddur created records its environment (`DatabaseStamp`); a destructive
  /// step on it from another environment is refused (Rails' protected environments).
  private static func checkStamp(of database: String, on connection: Connection, environment: ResolvedEnvironment)
    async throws
  {
    switch try await StampVerdict.read(of: database, for: environment.name, on: connection) {
    case .none, .own: return
    case .foreign(let stamped, let stampedDatabase):
      throw RunError(
        .databaseStampForeign(
          database: database, stamped: stamped, stampedDatabase: stampedDatabase, environment: environment.name))
    case .other(let stamped):
      throw RunError(
        .databaseOfOtherEnvironment(
          database: database, stamped: stamped, environment: environment.name, url: environment.url))
    }
  }

  /// 64 bits of SHA-256 over the target's host, port and database, so runs from any
  /// machine or project on the same database contend for the same lock.
  static func lockKey(_ info: ConnInfo) -> Int64 {
    let hasher = SHA256()
    Array("cruddur \(info.host):\(info.port)/\(info.database)".utf8).withUnsafeBufferPointer { hasher.update($0) }
    let hex = hasher.finalizeHex()
    return Int64(bitPattern: UInt64(hex.prefix(16), radix: 16) ?? 0)
  }

  private static func describe(holder: String?) -> String {
    guard let holder, holder.hasPrefix("cruddur pid=") else { return "holder unknown" }
    var fields: [String: String] = [:]
    for part in holder.split(separator: " ").dropFirst() {
      let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
      if pair.count == 2 { fields[pair[0]] = pair[1] }
    }
    return "pid \(fields["pid"] ?? "?") on host \(fields["host"] ?? "?"), since \(fields["since"] ?? "?")"
  }

  private static func now() -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: Date())
  }
}

/// Which environment a database belongs to, recorded when cruddur creates it, as a
/// database-level setting, readable from the maintenance database without connecting to it.
enum DatabaseStamp {
  static let setting = "cruddur.environment"

  static func environment(of database: String, on connection: Connection) async throws -> String? {
    let result = try await connection.execute(
      """
      select c from pg_catalog.pg_db_role_setting s join pg_catalog.pg_database d on d.oid = s.setdatabase,
        unnest(s.setconfig) c
      where d.datname = $1 and s.setrole = 0 and c like 'cruddur.environment=%'
      """, parameters: [database])
    guard let value = result.rows.first?.first ?? nil else { return nil }
    return StampValue(parsing: String(value.dropFirst(setting.count + 1))).environment
  }

  static func stamp(_ quotedDatabase: String, environment: String, on connection: Connection) async throws {
    let literal = "'" + environment.replacingOccurrences(of: "'", with: "''") + "'"
    try await connection.execute("ALTER DATABASE \(quotedDatabase) SET \(setting) = \(literal)")
  }
}
