import CruddurCore
import Foundation

/// The run locks of a fleet's targets, taken on one maintenance-database session per
/// server (and user) for the whole fleet run instead of one new session per target: a
/// session costs the server a backend start, which is most of what a target with
/// migrations to apply cost besides its own session (bench/fleet.sh). Advisory locks are
/// per key, so one session holds the locks of every target on its server at once; each
/// is released with `pg_advisory_unlock` when its target ends, and all of them when the
/// session closes (also if cruddur dies). The session's queries are one at a time
/// (`Connection` runs them in order), and they are short: a try-lock, a stamp read, an
/// unlock.
public actor FleetLockSessions {
  private var sessions: [String: Task<Connection, any Error>] = [:]
  private let holder: String

  public init() {
    holder = AdvisoryLock.holderName()
  }

  /// The server's session (connected on first use); `environment` gives its password.
  func session(for target: ConnInfo, environment: ResolvedEnvironment) async throws -> Connection {
    let key = "\(target.host):\(target.port) \(target.user)"
    let task: Task<Connection, any Error>
    if let existing = sessions[key] {
      task = existing
    } else {
      var info = target.with(database: PostgresSession.maintenanceDatabase)
      info["application_name"] = holder
      task = Task { try await Connection.connect(info, environment: environment) }
      sessions[key] = task
    }
    do {
      let connection = try await task.value
      guard await connection.isReusable else { throw ConnectionLost() }
      return connection
    } catch {
      // A failed or lost session is not kept: the next target connects again.
      if sessions[key] == task { sessions[key] = nil }
      throw error
    }
  }

  public func close() async {
    let all = sessions.values
    sessions = [:]
    for task in all { await (try? task.value)?.close() }
  }

  private struct ConnectionLost: Error {}

  /// How a target's run finds the fleet's sessions: a resource of the target's run, made
  /// by `FleetRunner` before anything else; a run of one database makes an empty one.
  struct Handle: RunResource {
    static let key = "postgres.fleet-lock-sessions"
    let sessions: FleetLockSessions?
    /// The fleet closes its sessions, not each target.
    func close() async {}
  }
}
