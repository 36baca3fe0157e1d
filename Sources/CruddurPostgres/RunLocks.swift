import CruddurCore

/// The run locks one run holds, by target database, so a step that needs the lock (a
/// migrate with migrations to apply) takes it only then, and never a second time when the
/// run already holds it: another session of ours would wait for the first forever.
/// Released when the run's resources close.
actor RunLocks: RunResource {
  private var wait = false
  private var onWait: @Sendable (String) -> Void = { _ in }
  /// One acquisition per target, awaited by every step that needs it.
  private var locks: [String: Task<AdvisoryLock, any Error>] = [:]

  static func shared(in resources: RunResources) -> RunLocks {
    resources.resource("postgres.run-locks") { RunLocks() }
  }

  /// `--wait`, as the command line said.
  func configure(wait: Bool, onWait: @escaping @Sendable (String) -> Void) {
    self.wait = wait
    self.onWait = onWait
  }

  /// Locks the command took for the whole run, released by the command after its own
  /// last step (apply records its plan while holding it), not when the run's resources close.
  private var borrowed: Set<String> = []

  func hold(_ lock: AdvisoryLock, for target: ConnInfo, environment: ResolvedEnvironment) {
    let key = Self.key(target, environment)
    locks[key] = Task { lock }
    borrowed.insert(key)
  }

  /// Takes the lock on `target`'s database unless this run holds it already.
  func ensure(
    target: ConnInfo, environment: ResolvedEnvironment, resources: RunResources, projectRoot: String,
    events: (any EventSink)?
  ) async throws {
    let key = Self.key(target, environment)
    let task: Task<AdvisoryLock, any Error>
    if let existing = locks[key] {
      task = existing
    } else {
      let (wait, onWait) = (self.wait, self.onWait)
      task = Task {
        try await AdvisoryLock.acquire(
          target: target, environment: environment, resources: resources, projectRoot: projectRoot, wait: wait,
          events: events, onWait: onWait)
      }
      locks[key] = task
    }
    do {
      _ = try await task.value
    } catch {
      // A failed attempt is not held; a later step may try again.
      if locks[key] == task { locks[key] = nil }
      throw error
    }
  }

  func close() async {
    let all = locks.filter { !borrowed.contains($0.key) }.values
    locks = [:]
    for task in all { await (try? task.value)?.release() }
  }

  private static func key(_ info: ConnInfo, _ environment: ResolvedEnvironment) -> String {
    "\(environment.name) \(info.host):\(info.port)/\(info.database)"
  }
}
