import CruddurCore

/// `apply` of a fleet's saved plan, on each target as on one database: a destructive plan
/// applied to the target before is refused there (unless `--again`), and the plan is
/// recorded in the target's `cruddur.applied_plans` once its steps succeeded. Both run
/// on the target's own session while its run lock is held, so two appliers cannot both
/// pass the check, and no connection beyond the target's bound is opened for them.
public struct FleetAppliedPlan: Sendable {
  /// The SHA-256 of the plan file's bytes: the plan's identity on every target.
  public var digest: String
  /// The plan's path as typed, recorded with it.
  public var file: String
  /// Refuse a target where the plan was applied before (a destructive plan without `--again`).
  public var refusesIfApplied: Bool

  public init(digest: String, file: String, refusesIfApplied: Bool) {
    self.digest = digest
    self.file = file
    self.refusesIfApplied = refusesIfApplied
  }

  /// Before the target's steps: refuses it when the plan was applied there already. A
  /// target database that does not exist yet has no record to find.
  func check(on target: FleetTarget, environment: ResolvedEnvironment, session: Session)
    async throws
  {
    guard refusesIfApplied, try await session.databaseExists() else { return }
    let applied = try await session.withTarget { try await AppliedPlan.lastApplied(digest, on: $0) }
    if applied != nil {
      throw RunError(.planAlreadyApplied(path: file, digest: digest, environment: target.label))
    }
  }

  /// After the target's steps succeeded: the plan recorded there, unless a step dropped
  /// the database.
  func record(on target: FleetTarget, environment: ResolvedEnvironment, session: Session)
    async throws
  {
    guard try await session.databaseExists() else { return }
    try await session.withTarget {
      try await AppliedPlan.record(digest, file: file, environment: environment.name, on: $0)
    }
  }

  /// How the checks reach the target: its own database through the run's pool (the idle
  /// session its steps used), and whether it exists through the server's lock session
  /// when the plan may drop it (only a plan that takes the run lock can).
  struct Session {
    var info: ConnInfo
    var environment: ResolvedEnvironment
    var pool: SessionPool
    var lockSessions: FleetLockSessions?
    var projectRoot: String
    var mayDrop: Bool

    func databaseExists() async throws -> Bool {
      guard mayDrop, let lockSessions else { return true }
      let connection = try await lockSessions.session(for: info, environment: environment)
      let rows = try await connection.execute(
        "select 1 from pg_catalog.pg_database where datname = $1", parameters: [info.database])
      return !rows.rows.isEmpty
    }

    func withTarget<T: Sendable>(_ body: (Connection) async throws -> T) async throws -> T {
      let connection = try await pool.lease(
        info, environment: environment, projectRoot: projectRoot, holder: "apply")
      do {
        let value = try await body(connection)
        await pool.giveBack(connection)
        return value
      } catch {
        await pool.giveBack(connection)
        throw error
      }
    }
  }
}
