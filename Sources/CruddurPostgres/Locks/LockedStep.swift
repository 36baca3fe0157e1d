import CruddurCore

/// A `sql:` or `migrate:` step's unit of work (a file, a migration) run under its lock
/// policy: watched for blocking sessions while it waits, and, when it is one transaction,
/// run again whole after a lock timeout or a deadlock.
struct LockedStep {
  var policy: LockTimeoutPolicy
  var isOneTransaction: Bool
  var info: ConnInfo
  var step: PlannedStep
  var events: any EventSink

  /// `attempt` gets the session its work runs on, from `connection`.
  func run(connection: () async throws -> Connection, _ attempt: (Connection) async throws -> Void)
    async throws
  {
    let report = BlockerReport(
      info: info, step: step, events: events, lockTimeout: policy.lockTimeout)
    var retryPolicy = policy
    if !isOneTransaction { retryPolicy.retries = 0 }
    let loop = RetryLoop(policy: retryPolicy, step: step, events: events)
    do {
      try await loop.run(blockers: { report.lastSeen }) { number in
        if number > 1 { await report.prepare() }
        let session = try await connection()
        // Watched only under a lock timeout cruddur set: then the wait is bounded and
        // retried, and who blocks it is worth a second connection. Without one (an
        // unprotected environment's default) no extra session is opened, which a fleet's
        // per-server connection bound counts on, and a long wait shows as progress.
        guard (policy.lockTimeout ?? 0) > 0 else { return try await attempt(session) }
        let pid = try await session.execute("select pg_backend_pid()").rows.first?.first.flatMap {
          $0.flatMap { Int32($0) }
        }
        guard let pid else { return try await attempt(session) }
        try await report.watching(pid: pid) { try await attempt(session) }
      }
    } catch {
      await report.close()
      throw error
    }
    await report.close()
  }
}
