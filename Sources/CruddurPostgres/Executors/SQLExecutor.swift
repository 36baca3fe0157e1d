import CruddurCore
import CruddurDigest
import Foundation

/// `sql: FILE`: loads a SQL file (hand-written or plain `pg_dump` output) into the
/// environment's database, in one transaction by default so a failure leaves nothing of
/// the file behind. `transaction: false` runs it like `psql -f` with `ON_ERROR_STOP`, for
/// files with statements that cannot run in a transaction block (`CREATE DATABASE`, ...).
public struct SQLExecutor: Executor {
  public struct Spec: StepSpec {
    var path: String
    /// As written in the task, for messages about the path itself.
    var writtenPath: String
    var displayPath: String
    var location: SourceLocation
    var inTransaction: Bool
    /// The path as it should be written, when the file exists relative to the project root
    /// instead (`db/schema.sql` written in tasks/db.yml means tasks/db/schema.sql).
    var fromTheRoot: String?
    /// The path as written when it holds `${...}`: resolved with the step's variables when
    /// it is planned and run (`resolved(_:in:)`), since only then are they known.
    var template: Template?
    /// The folder of the file the task is written in, which the resolved path is relative to.
    var directory: String = ""
    /// `lock_timeout`, `statement_timeout`, `retries` as the task writes them.
    var lockSettings = LockSettings()
  }

  public init() {}
  public var actionKey: String { "sql" }
  public var taskKeys: Set<String> { Set(["transaction"] + LockSettings.keys) }

  /// The file is only named here; it is read when a plan needs it or `validate` checks it,
  /// so a task nobody runs (its file not written yet, or a teammate's local one) does not
  /// stop `list` or any other task.
  public func decode(_ input: ActionInput, diagnostics: inout [Diagnostic]) -> Spec? {
    guard let file = input.value.string, !input.value.isNull else {
      diagnostics.append(
        ConfigErrorKind.invalidValue(
          what: "`sql`", requirement: "be the path of a SQL file", found: input.value.kindName,
          suggestion: nil
        ).diagnostic(at: input.value.spanLocation))
      return nil
    }
    var inTransaction = true
    if let node = input.task["transaction"] {
      switch node.string {
      case "true": inTransaction = true
      case "false": inTransaction = false
      default:
        diagnostics.append(
          ConfigErrorKind.invalidValue(
            what: "`transaction`", requirement: "be `true` or `false`", found: nil, suggestion: nil
          ).diagnostic(at: node.spanLocation))
      }
    }
    var template: Template?
    if file.contains("${") {
      do {
        template = try Template(parsing: file, at: input.value.spanLocation)
      } catch {
        diagnostics.append(error.diagnostic)
        return nil
      }
    }
    var spec = Self.spec(
      file, directory: input.directory, projectRoot: input.projectRoot,
      fileExists: input.fileExists,
      location: input.value.spanLocation, inTransaction: inTransaction)
    spec.template = template
    spec.lockSettings = LockSettings.decode(input.task, diagnostics: &diagnostics)
    return spec
  }

  /// The spec for `file` written in a task in `directory`.
  private static func spec(
    _ file: String, directory: String, projectRoot: String, fileExists: (String) -> Bool,
    location: SourceLocation,
    inTransaction: Bool
  ) -> Spec {
    let input = (directory: directory, projectRoot: projectRoot, fileExists: fileExists)
    let path = SourceLoader.resolve(file, relativeTo: input.directory)
    let loader = SourceLoader(root: input.projectRoot)
    var fromTheRoot: String?
    if !file.hasPrefix("/"), input.directory != input.projectRoot, !input.fileExists(path),
      input.fileExists(SourceLoader.resolve(file, relativeTo: input.projectRoot))
    {
      let depth = loader.relative(input.directory).split(separator: "/").count
      fromTheRoot = String(repeating: "../", count: depth) + file
    }
    return Spec(
      path: path, writtenPath: file, displayPath: loader.relative(path),
      location: location, inTransaction: inTransaction, fromTheRoot: fromTheRoot,
      directory: directory)
  }

  /// The spec with its path's `${...}` rendered from `scope` (the same values for the plan
  /// and the run, so the run reads the file the plan showed and pinned by digest).
  func resolved(_ spec: Spec, in scope: Scope, projectRoot: String) throws -> Spec {
    guard let template = spec.template else { return spec }
    let file = try Interpolator.render(template, in: scope)
    var resolved = Self.spec(
      file, directory: spec.directory, projectRoot: projectRoot,
      fileExists: { SourceLoader.exists($0) },
      location: spec.location, inTransaction: spec.inTransaction)
    resolved.writtenPath = file
    resolved.lockSettings = spec.lockSettings
    return resolved
  }

  /// The variables its path names.
  public func variablesRead(_ spec: Spec) -> Set<String>? {
    Set(spec.template?.variableNames ?? [])
  }

  /// `validate`: the file exists and passes every rule the loader would apply.
  public func check(_ spec: Spec, projectRoot: String) -> [Diagnostic] {
    // A path made of variables names a file only a plan, which has them, can read.
    guard spec.template == nil else { return [] }
    if let problem = missing(spec) { return [problem.diagnostic] }
    return SQLScriptScan(
      path: spec.path, projectRoot: projectRoot, inTransaction: spec.inTransaction
    ).diagnostics
  }

  /// The file is missing, or is not a regular file (a FIFO would block, a device never end).
  private func missing(_ spec: Spec) -> (any ErrorKind)? {
    guard SourceLoader.exists(spec.path) else {
      return PostgresRunErrorKind.sqlFileMissing(
        written: spec.writtenPath, at: spec.location, relativeTo: spec.displayPath,
        atRoot: spec.fromTheRoot)
    }
    let kind = FileKind(path: spec.path)
    return kind.problem(shownAs: spec.writtenPath) == nil
      ? nil : RunErrorKind.notAFile(shownAs: spec.writtenPath, kind: kind, at: spec.location)
  }

  /// The file the step loads, resolved, and what planning read of it.
  public struct Prepared: Codable, Sendable, Hashable {
    var target: Target
    /// Project-relative, its `${...}` rendered.
    var file: String
    var inTransaction: Bool
    var timeouts: LockTimeoutPolicy
    /// An earlier step of the plan may write the file, and it was not there yet.
    var notPresentYet = false
    /// What planning read; nil when the run reads the file first (`notPresentYet`, or a
    /// plain run on an unprotected environment: read, checked and hashed once, as it is
    /// loaded).
    var contents: Contents?
    /// Planning found the file clean as it was then (size and modification time): the run
    /// does not check it again unless it moved. Not part of the value: a saved plan's run
    /// checks again.
    var checked: FileStamp? = nil
    /// The file's bytes as planning read and checked them (a file of at most `heldLimit`
    /// bytes), which the run loads: the file is opened once per run. Not part of the value.
    var held: HeldBytes? = nil

    struct Contents: Codable, Sendable, Hashable {
      var sha256: String
      var bytes: Int
      var statements: Int
      var includes: [PlannedFile]
      var locks: [StatementLocks]
      /// Destructive statements, and those whose effect cannot be seen.
      var needingConsent: [PlannedStatement]
      /// Functions looked up on the target and found stable or immutable (`inspect`).
      var readOnlyOnTarget: [String]? = nil
    }

    enum CodingKeys: String, CodingKey {
      case target, file, inTransaction, timeouts, notPresentYet, contents
    }
    /// The bytes of a file read once, for the run.
    struct HeldBytes: Sendable {
      var bytes: [UInt8]
      /// Where planning found each statement in `bytes`: the run batches them from there
      /// without lexing the file again (nil when it has meta-commands, includes or COPY data).
      var spans: [StatementSpan]? = nil
      /// The files it includes (`\\i`), read whole by planning, by absolute path: the run
      /// reads them from here, so they too are opened once.
      var includes: [String: [UInt8]] = [:]
    }
    public static func == (a: Prepared, b: Prepared) -> Bool {
      (a.target, a.file, a.inTransaction, a.timeouts, a.notPresentYet, a.contents)
        == (b.target, b.file, b.inTransaction, b.timeouts, b.notPresentYet, b.contents)
    }
    public func hash(into hasher: inout Hasher) {
      hasher.combine(file)
      hasher.combine(contents)
    }
  }

  public func prepare(_ spec: Spec, in context: PlanContext) throws -> Prepared {
    try prepare(spec, in: context, readOnlyOnTarget: [])
  }

  /// `readOnlyOnTarget`: functions the target says are stable or immutable (`inspect`).
  private func prepare(_ spec: Spec, in context: PlanContext, readOnlyOnTarget: Set<String>) throws
    -> Prepared
  {
    let spec = try resolved(spec, in: context.scope, projectRoot: context.projectRoot)
    var prepared = Prepared(
      target: try PostgresSession.target(context), file: spec.displayPath,
      inTransaction: spec.inTransaction,
      timeouts: policy(spec, context.environment))
    if !SourceLoader.exists(spec.path) && context.earlierStepMayWriteFiles {
      // A file an earlier step of this plan may write (a dump, a generated script).
      prepared.notPresentYet = true
      return prepared
    }
    if let problem = missing(spec) { throw ConfigError(problem.diagnostic) }
    // Only a protected environment asks for consent, so only there are statements judged;
    // a plain run on an unprotected one shows the summary alone, and reads no locks.
    let stamp = FileStamp(path: spec.path)
    // A file small enough is read once, here: checked from memory and loaded from the
    // same bytes by the run. A larger one (a dump) is read again by the run, which holds
    // it to the digest taken here.
    var held =
      (stamp?.size ?? .max) <= Self.heldLimit
      ? FileManager.default.contents(atPath: spec.path).map {
        Prepared.HeldBytes(bytes: [UInt8]($0))
      } : nil
    let (judges, locks) = (
      context.environment.isProtected, context.detailed || context.environment.isProtected
    )
    // A plain run on an unprotected environment shows no detail line: it takes no digest
    // (the run loads the very bytes checked), and reads nothing more (an included file's
    // digest would open it again).
    let shown = context.detailed || context.environment.isProtected
    let scan =
      held.map {
        SQLScriptScan(
          cursor: SQLScriptCursor(
            bytes: $0.bytes, path: spec.path, projectRoot: context.projectRoot,
            holdingIncludesUpTo: Self.heldLimit - $0.bytes.count),
          inTransaction: spec.inTransaction, judges: judges, readOnlyOnTarget: readOnlyOnTarget,
          locks: locks, hashes: shown, recordsSpans: true)
      }
      ?? SQLScriptScan(
        path: spec.path, projectRoot: context.projectRoot, inTransaction: spec.inTransaction,
        judges: judges,
        readOnlyOnTarget: readOnlyOnTarget, locks: locks)
    if !scan.diagnostics.isEmpty { throw ConfigError(scan.diagnostics) }
    prepared.checked = stamp == FileStamp(path: spec.path) ? stamp : nil
    held?.spans = scan.spans
    held?.includes = scan.heldIncludes
    prepared.held = held
    if !shown { return prepared }
    prepared.contents = Prepared.Contents(
      sha256: scan.digest ?? Self.digest(of: spec.path) ?? "unreadable",
      bytes: held?.bytes.count ?? Self.size(of: spec.path),
      statements: scan.statementCount,
      includes: scan.includedFiles.map {
        PlannedFile(path: $0.displayPath, sha256: Self.digest(of: $0.path) ?? "unreadable")
      },
      locks: scan.lockedStatements, needingConsent: scan.destructiveStatements,
      readOnlyOnTarget: readOnlyOnTarget.isEmpty ? nil : readOnlyOnTarget.sorted())
    return prepared
  }

  public func describe(_ prepared: Prepared) -> StepDescription {
    let summary =
      "run \(prepared.file) "
      + (prepared.inTransaction ? "in one transaction" : "statement by statement")
    if prepared.notPresentYet {
      return StepDescription(
        target: prepared.target, summary: summary,
        details: ["file: \(prepared.file) (not present yet; read when the step starts)"])
    }
    guard let contents = prepared.contents else {
      return StepDescription(target: prepared.target, summary: summary)
    }
    let count = contents.statements
    let destructive = contents.needingConsent
    let files =
      [
        PlannedFile(
          path: prepared.file, sha256: contents.sha256, bytes: contents.bytes, statements: count)
      ]
      + contents.includes
    var description = StepDescription(
      target: prepared.target, summary: summary,
      details: [
        "file: \(prepared.file) (\(contents.bytes) bytes, \(count) statement\(count == 1 ? "" : "s"))",
        "sha256: \(contents.sha256)",
      ] + contents.includes.map { "includes: \($0.path)" }
        + [prepared.timeouts.planLine(isOneTransaction: prepared.inTransaction)].compactMap { $0 }
        + contents.locks.flatMap { $0.planLines() }
        + destructive.map(\.shown),
      isDestructive: destructive.contains { !$0.isUnknown }, files: files,
      destructiveStatements: destructive)
    let unknown = destructive.filter(\.isUnknown).count
    description.effectUnknown =
      unknown == 0
      ? nil : "\(unknown) statement\(unknown == 1 ? "" : "s") cruddur cannot see through"
    if let found = contents.readOnlyOnTarget {
      description.details.append(
        "stable or immutable on the target: " + found.joined(separator: ", "))
    }
    return description
  }

  /// `plan --check`, and a run that needs consent: functions the file calls that nothing
  /// said were read-only are looked up on the target (`pg_proc.provolatile`, in a read-only
  /// transaction); a call of one that is stable or immutable everywhere it is visible does
  /// not ask.
  public func inspect(_ prepared: Prepared, spec: Spec, step: PlannedStep, in context: StepContext)
    async throws
    -> Prepared?
  {
    guard context.environment.isProtected else { return nil }
    let spec = try resolved(spec, in: context.scope, projectRoot: context.projectRoot)
    guard missing(spec) == nil else { return nil }
    let scan = SQLScriptScan(
      path: spec.path, projectRoot: context.projectRoot, inTransaction: spec.inTransaction,
      judges: true)
    guard scan.diagnostics.isEmpty, !scan.unresolvedFunctions.isEmpty else { return nil }
    let info = try PostgresSession.info(for: context.environment)
    let names = scan.unresolvedFunctions.sorted().joined(separator: "\n")
    let rows = try await MigrationLedger.readOnly(info) { connection in
      try await connection.execute(Self.readOnlyFunctionsQuery, parameters: [names]).rows
    }
    let found = Set(rows.compactMap { $0.first ?? nil })
    guard !found.isEmpty else { return nil }
    let planContext = PlanContext(
      environment: context.environment, scope: context.scope, projectRoot: context.projectRoot,
      task: context.task)
    return try prepare(spec, in: planContext, readOnlyOnTarget: found)
  }

  /// The names (`f` or `schema.f`, one a line in $1) whose every visible function is
  /// stable or immutable.
  static let readOnlyFunctionsQuery = """
    select q.name from unnest(string_to_array($1, E'\\n')) as q(name)
    cross join lateral (
      select p.provolatile from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where p.proname = case when strpos(q.name, '.') > 0 then split_part(q.name, '.', 2) else q.name end
        and case when strpos(q.name, '.') > 0 then n.nspname = split_part(q.name, '.', 1)
            else n.nspname = any(current_schemas(true)) end
    ) f
    group by q.name having bool_and(f.provolatile <> 'v')
    """

  /// With `-v`, each statement is shown as it is queued.
  private func announcer(for step: PlannedStep, in context: StepContext) -> (
    @Sendable (String) -> Void
  )? {
    guard context.isVerbose else { return nil }
    let events = context.events
    return { text in events.emit(.stepCommand(step: step, text: text)) }
  }

  /// How far the load has got, as events: the renderers decide what to show (and `-q` hides it).
  private func reporter(for step: PlannedStep, in context: StepContext)
    -> @Sendable (StepProgress) -> Void
  {
    let events = context.events
    return { progress in events.emit(.stepProgress(step: step, progress: progress)) }
  }

  public func run(_ prepared: Prepared, spec: Spec, step: PlannedStep, in context: StepContext)
    async throws
  {
    var spec = try resolved(spec, in: context.scope, projectRoot: context.projectRoot)
    // The file the plan resolved, whatever the variables say now.
    spec.path = SourceLoader.resolve(prepared.file, relativeTo: context.projectRoot)
    spec.displayPath = prepared.file
    spec.inTransaction = prepared.inTransaction
    if let problem = missing(spec) { throw RunError(kinds: [problem]) }
    var isChecked =
      prepared.held != nil || prepared.checked.map { $0 == FileStamp(path: spec.path) } ?? false
    if !isChecked && !spec.inTransaction {
      // Without a transaction nothing can be undone, so a file the plan did not check (one
      // written by an earlier step, or changed since) is checked now, before anything is sent.
      let scan = SQLScriptScan(
        path: spec.path, projectRoot: context.projectRoot, inTransaction: false)
      if !scan.diagnostics.isEmpty {
        throw RunError(scan.diagnostics.map(PostgresRunErrorKind.sqlProblem))
      }
      isChecked = true
    }
    let policy = prepared.timeouts
    let base = try PostgresSession.info(for: context.environment)
    let leases = PostgresSession.Leases(context: context, step: step)
    let locked = LockedStep(
      policy: policy, isOneTransaction: spec.inTransaction, info: base, step: step,
      events: context.events)
    // A fleet target's record goes into the file's transaction (`FleetRecorder`).
    let fleetRecorder =
      spec.inTransaction ? FleetRecorder.Hook.recorder(in: context.resources) : nil
    let beforeCommit = fleetRecorder?.beforeCommit(of: step)
    do {
      try await locked.run(connection: { try await leases.connection(to: base) }) { first in
        // A new loader each attempt: a retry reads the file again from its start.
        let loader =
          try prepared.held.map { held in
            // The bytes checked while planning, exactly: no digest to compare.
            SQLLoader(
              cursor: SQLScriptCursor(
                bytes: held.bytes, path: spec.path, projectRoot: context.projectRoot,
                includes: held.includes),
              displayPath: spec.displayPath,
              options: .init(
                inTransaction: spec.inTransaction, isChecked: true, beforeCommit: beforeCommit,
                timeouts: policy),
              progress: LoadProgress(
                totalBytes: held.bytes.count, report: reporter(for: step, in: context)),
              announce: announcer(for: step, in: context),
              planned: held.spans.map { (held.bytes, $0) })
          }
          ?? SQLLoader(
            path: spec.path, projectRoot: context.projectRoot,
            options: .init(
              inTransaction: spec.inTransaction, isChecked: isChecked,
              expectedDigest: prepared.contents?.sha256,
              beforeCommit: beforeCommit, timeouts: policy),
            totalBytes: Self.size(of: spec.path), progress: reporter(for: step, in: context),
            announce: announcer(for: step, in: context))
        try await loader.run(on: first) { database, user in
          var info = base
          if let database { info["dbname"] = database }
          if let user { info["user"] = user }
          return try await leases.connection(to: info)
        } disconnect: { connection in
          await leases.close(connection)
        }
      }
      await leases.giveBackAll()
    } catch {
      await leases.giveBackAll()
      throw error
    }
  }

  private func policy(_ spec: Spec, _ environment: ResolvedEnvironment) -> LockTimeoutPolicy {
    LockTimeoutPolicy(task: spec.lockSettings, environment: environment)
  }

  /// The largest file read once and held from plan to run (with the files it includes,
  /// while they fit in the rest); a larger one is read twice.
  static let heldLimit = 64 << 20

  static func size(of path: String) -> Int {
    (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
  }

  /// SHA-256 of the file, read in pieces so a large dump is never held in memory.
  static func digest(of path: String) -> String? {
    guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    let hasher = SHA256()
    while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
      chunk.withUnsafeBytes { hasher.update($0.bindMemory(to: UInt8.self)) }
    }
    return hasher.finalizeHex()
  }
}
