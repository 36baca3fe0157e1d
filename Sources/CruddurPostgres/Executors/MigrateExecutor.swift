import CruddurCore
import CruddurProcess
import Foundation

/// `migrate: DIR`: a folder of plain SQL migrations in dbmate's format, applied once each,
/// in version order, each in its own transaction with its record, under the run lock.
/// `mode:` says what the step does:
/// - `up` (the default): apply every pending migration;
/// - `rollback`: run the down block of the last applied one (`--set STEP=n` for n);
/// - `status`: a table of every migration and its state, read only.
/// `dump:` (up and rollback) writes `pg_dump --schema-only` after a change: `true` (the
/// default, `structure.sql` beside the folder), `false`, or a path; never on a protected
/// environment.
public struct MigrateExecutor: Executor {
  enum Mode: String, Codable, Sendable, CaseIterable { case up, rollback, status }

  public struct Spec: StepSpec {
    var directory: String
    var displayDirectory: String
    var mode: Mode
    /// Where the structure dump goes; nil for none.
    var dumpPath: String?
    /// dbmate's `--migrations-table` (`TABLE` or `SCHEMA.TABLE`), when not the default.
    var migrationsTable: String? = nil
    var location: SourceLocation
    /// `lock_timeout`, `statement_timeout`, `retries` as the task writes them.
    var lockSettings = LockSettings()
    /// The folder as written when it holds `${...}`: resolved with the step's variables when
    /// it is planned and run (`resolved(_:in:projectRoot:)`), as a `sql:` path is.
    var template: Template? = nil
    /// The folder of the file the task is written in, which the resolved folder is relative to.
    var writtenIn: String = ""
    /// `dump:` left to its default: `structure.sql` beside the folder, wherever it resolves.
    var dumpBesideFolder = false
  }

  public init() {}
  public var actionKey: String { "migrate" }
  public var taskKeys: Set<String> { Set(["mode", "dump", "migrations_table"] + LockSettings.keys) }

  public func decode(_ input: ActionInput, diagnostics: inout [Diagnostic]) -> Spec? {
    guard let folder = input.value.string, !input.value.isNull, !folder.isEmpty else {
      diagnostics.append(
        ConfigErrorKind.invalidValue(
          what: "`migrate`", requirement: "be the path of a folder of migrations", found: input.value.kindName,
          suggestion: nil
        ).diagnostic(at: input.value.spanLocation))
      return nil
    }
    var mode = Mode.up
    if let node = input.task["mode"] {
      if let value = node.string.flatMap(Mode.init(rawValue:)) {
        mode = value
      } else {
        let suggestion = node.string.flatMap { Suggestion.closest(to: $0, in: Mode.allCases.map(\.rawValue)) }
        diagnostics.append(
          ConfigErrorKind.invalidValue(
            what: "`mode`", requirement: "be `up`, `rollback` or `status`", found: nil, suggestion: suggestion
          ).diagnostic(at: node.spanLocation))
      }
    }
    var template: Template?
    if folder.contains("${") {
      do {
        template = try Template(parsing: folder, at: input.value.spanLocation)
      } catch {
        diagnostics.append(error.diagnostic)
        return nil
      }
    }
    let directory = SourceLoader.resolve(folder, relativeTo: input.directory)
    var dumpPath: String? = mode == .status ? nil : (directory as NSString).deletingLastPathComponent + "/structure.sql"
    if let node = input.task["dump"] {
      switch node.string {
      case "true": break
      case "false": dumpPath = nil
      case let path? where !path.isEmpty: dumpPath = SourceLoader.resolve(path, relativeTo: input.directory)
      default:
        diagnostics.append(
          ConfigErrorKind.invalidValue(
            what: "`dump`", requirement: "be `true`, `false` or a file path", found: nil, suggestion: nil
          ).diagnostic(at: node.spanLocation))
      }
    }
    var migrationsTable: String?
    if let node = input.task["migrations_table"] {
      let parts = node.string?.split(separator: ".", omittingEmptySubsequences: false) ?? []
      if let name = node.string, (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) {
        migrationsTable = name
      } else {
        diagnostics.append(
          ConfigErrorKind.invalidValue(
            what: "`migrations_table`", requirement: "be dbmate's table, `TABLE` or `SCHEMA.TABLE`", found: nil,
            suggestion: nil
          ).diagnostic(at: node.spanLocation))
      }
    }
    return Spec(
      directory: directory, displayDirectory: SourceLoader(root: input.projectRoot).relative(directory), mode: mode,
      dumpPath: dumpPath, migrationsTable: migrationsTable, location: input.value.spanLocation,
      lockSettings: LockSettings.decode(input.task, diagnostics: &diagnostics), template: template,
      writtenIn: input.directory,
      dumpBesideFolder: mode != .status && (input.task["dump"]?.string.map { $0 == "true" } ?? true))
  }

  /// The spec with its folder's `${...}` rendered from `scope` (the same values for the plan
  /// and the run, so the run reads the folder the plan showed); an unset variable is the
  /// error it is in a `sql:` path, at the variable.
  func resolved(_ spec: Spec, in scope: Scope, projectRoot: String) throws -> Spec {
    guard let template = spec.template else { return spec }
    var resolved = spec
    resolved.directory = SourceLoader.resolve(try Interpolator.render(template, in: scope), relativeTo: spec.writtenIn)
    resolved.displayDirectory = SourceLoader(root: projectRoot).relative(resolved.directory)
    if spec.dumpBesideFolder {
      resolved.dumpPath = (resolved.directory as NSString).deletingLastPathComponent + "/structure.sql"
    }
    resolved.template = nil
    return resolved
  }

  /// A folder made of variables is known only to a plan, which has them.
  public func folders(_ spec: Spec) -> [String] { spec.template == nil ? [spec.directory] : [] }

  /// dbmate's table for this step's URL.
  static func dbmate(_ spec: Spec, _ info: ConnInfo) -> DbmateLedger {
    DbmateLedger(migrationsTable: spec.migrationsTable, searchPath: info.searchPath)
  }

  /// The ledgers read, or their disagreement as a refusal (exit 3).
  static func reconciled(_ state: MigrationLedger.State) throws -> MigrationLedger.State {
    if let conflict = state.reconciliation?.conflict { throw RunError(conflict) }
    return state
  }

  /// `20261201120000_add_email.sql` → ("20261201120000", "add_email"); nil for another name.
  public static func versionAndName(of fileName: String) -> (version: String, name: String)? {
    MigrationFile.versionAndName(of: fileName)
  }

  public func check(_ spec: Spec, projectRoot: String) -> [Diagnostic] {
    // A folder made of variables names a folder only a plan, which has them, can read.
    guard spec.template == nil else { return [] }
    do {
      _ = try Self.load(spec, projectRoot: projectRoot)
      return []
    } catch let error as any CruddurError {
      return error.diagnostics
    } catch {
      return [PostgresConfigErrorKind.cannotReadMigrations(reason: "\(error)").diagnostic()]
    }
  }

  /// Every file parsed and every block scanned: problems are config errors at their line.
  /// `judges`: classify statements with PostgreSQL's grammar (on a protected environment);
  /// `locks`: read each statement's locks (see `SQLScriptScan`).
  static func load(_ spec: Spec, projectRoot: String, judges: Bool = false, locks: Bool = true) throws
    -> (set: MigrationSet, scans: [String: SQLScriptScan])
  {
    let set = try MigrationSet(directory: spec.directory, projectRoot: projectRoot)
    var scans: [String: SQLScriptScan] = [:]
    var diagnostics: [Diagnostic] = []
    for file in set.files {
      for (key, block) in zip(upKeys(file), file.ups) {
        let scan = file.scan(block, projectRoot: projectRoot, judges: judges, locks: locks)
        diagnostics += scan.diagnostics
        scans[key] = scan
      }
      for (key, block) in zip(downKeys(file), file.downs) {
        let scan = file.scan(block, projectRoot: projectRoot, judges: judges, locks: locks)
        diagnostics += scan.diagnostics
        scans[key] = scan
      }
    }
    if !diagnostics.isEmpty { throw RunError(diagnostics.map(PostgresRunErrorKind.sqlProblem)) }
    return (set, scans)
  }

  /// The keys of a file's scans: "VERSION" for its (first) up block, "VERSION down" for
  /// its down block, "VERSION up 2" and "VERSION down 2" for a second section's.
  static func upKeys(_ file: MigrationFile) -> [String] {
    file.sections.indices.map { $0 == 0 ? file.version : "\(file.version) up \($0 + 1)" }
  }

  static func downKeys(_ file: MigrationFile) -> [String] {
    file.sections.indices.compactMap { index in
      file.sections[index].down == nil ? nil : index == 0 ? "\(file.version) down" : "\(file.version) down \(index + 1)"
    }
  }

  /// The folder resolved, every file's digest, and what planning read of each migration.
  public struct Prepared: Codable, Sendable, Hashable {
    var target: Target
    var mode: Mode
    /// Project-relative, its `${...}` rendered.
    var folder: String
    /// Every migration file with the SHA-256 of its bytes: the run applies these bytes.
    var files: [PlannedFile]
    /// Each migration's statements as planning read them.
    var migrations: [PlannedMigration]
    /// On a protected environment: indexes a concurrent build may drop and build again.
    var rebuilds: [PlannedRebuild]
    /// On a protected environment: statements holding a heavy lock on a large table.
    var heavyLocks: [PlannedStatement]
    var heavyLockLines: [String]
    var timeouts: LockTimeoutPolicy
    /// Project-relative; nil for none.
    var dumpFile: String?
    /// The environment's name when it is protected (no structure dump there).
    var protectedEnvironment: String?
    /// `rollback`: how many.
    var stepCount: Int?
    /// What `inspect` read from the target (`plan --check`, a saved plan); nil when planned
    /// without reading it, and the run reads it then.
    var reading: TargetReading? = nil
    /// The files as planning read them, so the run reads each once. Not part of the value:
    /// a saved plan's run reads the folder again and holds it to `files`.
    var loaded: MigrationSet? = nil

    enum CodingKeys: String, CodingKey {
      case target, mode, folder, files, migrations, rebuilds, heavyLocks, heavyLockLines, timeouts,
        dumpFile
      case protectedEnvironment, stepCount, reading
    }
    public static func == (a: Prepared, b: Prepared) -> Bool {
      (a.target, a.mode, a.folder, a.files, a.migrations, a.rebuilds) == (
        b.target, b.mode, b.folder, b.files, b.migrations, b.rebuilds
      )
        && (
          a.heavyLocks, a.heavyLockLines, a.timeouts, a.dumpFile, a.protectedEnvironment,
          a.stepCount
        )
          == (
            b.heavyLocks, b.heavyLockLines, b.timeouts, b.dumpFile, b.protectedEnvironment,
            b.stepCount
          ) && a.reading == b.reading
    }
    public func hash(into hasher: inout Hasher) {
      hasher.combine(folder)
      hasher.combine(files)
    }
  }

  /// One migration as a plan shows it.
  struct PlannedMigration: Codable, Sendable, Hashable {
    var fileName: String
    var upDigest: String
    var statements: Int
    var sections: Int
    /// Up blocks that run statement by statement (`transaction:false`).
    var outsideTransaction: Int
    var upNeedingConsent: [PlannedStatement]
    var downNeedingConsent: [PlannedStatement]
    /// At least one down block (`MigrationFile.hasDown` asks for every section's).
    var hasDownBlock: Bool
    var locks: [StatementLocks]

    init(_ file: MigrationFile, scans: [String: SQLScriptScan]) {
      let keys = MigrateExecutor.upKeys(file)
      fileName = file.fileName
      upDigest = file.upSHA256
      statements = keys.reduce(0) { $0 + (scans[$1]?.statementCount ?? 0) }
      sections = file.sections.count
      outsideTransaction = file.ups.filter { !$0.inTransaction }.count
      upNeedingConsent = MigrateExecutor.destructive(keys, in: scans)
      downNeedingConsent = MigrateExecutor.destructive(MigrateExecutor.downKeys(file), in: scans)
      hasDownBlock = !file.downs.isEmpty
      locks = keys.flatMap { scans[$0]?.lockedStatements ?? [] }
    }
  }

  /// An index a `transaction:false` block builds concurrently, and its file.
  struct PlannedRebuild: Codable, Sendable, Hashable {
    var name: String
    var file: String
  }

  /// What `inspect` read from the target, as typed values: which migrations are applied,
  /// which are pending or rolled back, what refuses a run. Two readings are the same when
  /// the target says the same; the sizes of tables (and the lines showing them) move with
  /// every write and are shown only.
  struct TargetReading: Codable, Sendable, Hashable {
    /// The applied migrations, one "version sha256" each (`targetState`).
    var applied: [String]
    /// `up`: the pending migrations' file names, in the order they run.
    var pending: [String] = []
    /// `up`: applied migrations whose file changed since (a run refuses).
    var changed: [ChangedMigration] = []
    /// `up` without ALLOW_OUT_OF_ORDER: pending files older than the newest applied.
    var olderThanApplied: [String] = []
    /// `up`: INVALID indexes on the target, and the drops of those a pending concurrent
    /// build makes again.
    var invalidIndexes: [String] = []
    var drops: [PlannedStatement] = []
    /// `up` on a protected environment: statements holding a heavy lock on a large table
    /// (needing consent), with the sizes read.
    var heavyLocks: [PlannedStatement] = []
    var heavyLockLines: [String] = []
    /// `rollback`: the applied migrations rolled back, newest first.
    var rolledBack: [RolledBack] = []
    /// Sizes of the tables the statements lock, by name (a list: a saved plan's keys are
    /// converted to snake case, which a table's name must not be). Shown only.
    var sizes: [SizedRelation] = []

    var sizesByRelation: [String: RelationSize] {
      Dictionary(sizes.map { ($0.relation, $0.size) }, uniquingKeysWith: { a, _ in a })
    }

    static func == (a: TargetReading, b: TargetReading) -> Bool {
      (a.applied, a.pending, a.changed, a.olderThanApplied, a.invalidIndexes, a.drops)
        == (b.applied, b.pending, b.changed, b.olderThanApplied, b.invalidIndexes, b.drops)
        && (a.heavyLocks, a.rolledBack) == (b.heavyLocks, b.rolledBack)
    }
    func hash(into hasher: inout Hasher) {
      hasher.combine(applied)
      hasher.combine(pending)
    }
  }

  /// A table's size as `inspect` read it.
  struct SizedRelation: Codable, Sendable, Hashable {
    var relation: String
    var size: RelationSize
  }

  /// An applied migration whose file changed: shown by path, with both digests' prefixes.
  struct ChangedMigration: Codable, Sendable, Hashable {
    var shown: String
    var appliedDigest: String
    var nowDigest: String
  }

  /// An applied migration a rollback undoes; `fileName` nil when its file is gone.
  struct RolledBack: Codable, Sendable, Hashable {
    var version: String
    var name: String
    var fileName: String?
    var hasDown: Bool
  }

  public func prepare(_ spec: Spec, in context: PlanContext) throws -> Prepared {
    let spec = try resolved(spec, in: context.scope, projectRoot: context.projectRoot)
    let target = try PostgresSession.target(context)
    let environment = context.environment
    // Each file is read once, here, and its bytes handed to the run. Every block is
    // checked; locks feed the plan's lines and a protected environment's consent: a plain
    // run on an unprotected one reads none (most of a no-op migrate's instructions went
    // there).
    let (set, scans) = try Self.load(
      spec, projectRoot: context.projectRoot, judges: environment.isProtected,
      locks: context.detailed || environment.isProtected)
    var prepared = Prepared(
      target: target, mode: spec.mode, folder: spec.displayDirectory,
      files: set.files.map { PlannedFile(path: $0.displayPath, sha256: $0.fileSHA256) },
      migrations: set.files.map { PlannedMigration($0, scans: scans) }, rebuilds: [],
      heavyLocks: [],
      heavyLockLines: [],
      timeouts: LockTimeoutPolicy(task: spec.lockSettings, environment: environment),
      dumpFile: spec.dumpPath.map { SourceLoader(root: context.projectRoot).relative($0) },
      protectedEnvironment: environment.isProtected ? environment.name : nil, loaded: set)
    switch spec.mode {
    case .status:
      break
    case .up:
      // Whether an index a concurrent build makes was left INVALID is read at run time; on a
      // protected environment dropping it needs consent, which that reading may lift.
      if environment.isProtected {
        prepared.rebuilds = Self.concurrentBuilds(set).map {
          PlannedRebuild(name: $0.name, file: $0.file)
        }
      }
      let heavy = heavyLocks(spec, set.files, scans: scans, environment: environment, sizes: nil)
      (prepared.heavyLocks, prepared.heavyLockLines) = (heavy.consent, heavy.lines)
    case .rollback:
      prepared.stepCount = try Self.stepCount(context.scope)
    }
    return prepared
  }

  public func describe(_ prepared: Prepared) -> StepDescription {
    if let reading = prepared.reading, prepared.mode != .status {
      return describe(prepared, as: reading)
    }
    let (target, folder, files) = (prepared.target, prepared.folder, prepared.files)
    switch prepared.mode {
    case .status:
      return StepDescription(
        target: target,
        summary: "show the state of each migration in \(folder) (read from the target at run time)",
        files: files)
    case .up:
      var details = prepared.migrations.flatMap { Self.lines(for: $0) }
      details.append("which are pending is read from the target at run time")
      details += prepared.rebuilds.map {
        "if \($0.name) was left INVALID by a failed build, it is dropped concurrently and built again (read at run time)"
      }
      details += prepared.heavyLockLines
      details += Self.lockLine(prepared.timeouts)
      details += Self.dumpLine(prepared)
      var description = StepDescription(
        target: target,
        summary:
          "apply pending migrations of \(folder) (\(files.count) file\(files.count == 1 ? "" : "s"))",
        details: details, files: files)
      let repairs = prepared.rebuilds.map { InvalidIndexRepair.plannedDrop($0.name, file: $0.file) }
      Self.flag(
        &description,
        prepared.migrations.flatMap(\.upNeedingConsent) + repairs + prepared.heavyLocks)
      return description
    case .rollback:
      let count = prepared.stepCount ?? 1
      let withDown = prepared.migrations.filter(\.hasDownBlock)
      var details = withDown.flatMap { $0.downNeedingConsent.map(\.shown) }
      details.append(
        "which \(count == 1 ? "one is" : "ones are") the last applied is read from the target at run time"
      )
      details += Self.lockLine(prepared.timeouts)
      details += Self.dumpLine(prepared)
      var description = StepDescription(
        target: target,
        summary:
          "roll back the last \(count == 1 ? "applied migration" : "\(count) applied migrations") of \(folder)",
        details: details, files: files)
      Self.flag(&description, withDown.flatMap(\.downNeedingConsent))
      return description
    }
  }

  /// On a protected environment: the statements that hold ACCESS EXCLUSIVE while rewriting or
  /// scanning a large table (consent, like a destructive one), and plan lines for them.
  private func heavyLocks(
    _ spec: Spec, _ files: [MigrationFile], scans: [String: SQLScriptScan], environment: ResolvedEnvironment,
    sizes: [String: RelationSize]?
  ) -> (consent: [PlannedStatement], lines: [String]) {
    guard environment.isProtected else { return ([], []) }
    let review = LargeLockConsent(settings: spec.lockSettings.over(environment.lockSettings))
    var consent: [PlannedStatement] = []
    var lines: [String] = []
    for file in files {
      let found = review.review(scans[file.version]?.lockedStatements ?? [], script: file.up.script, sizes: sizes)
      consent += found.consent
      lines += found.lines.map { "\(file.fileName) \($0.drop { $0 == " " })" }
      lines += found.consent.map { "needs consent on \(environment.name): \($0.text) (\($0.file ?? "?"):\($0.line ?? 0))" }
    }
    return (consent, lines)
  }

  /// The indexes the `transaction:false` blocks build concurrently, with their files.
  static func concurrentBuilds(_ set: MigrationSet) -> [(name: String, file: String)] {
    set.files.filter { !$0.up.inTransaction }.flatMap { file in
      InvalidIndexRepair(script: String(decoding: file.up.script, as: UTF8.self)).names.map { ($0, file.displayPath) }
    }
  }

  /// "20261201120000_create_notes.sql  sha256 1a2b3c4d5e6f  3 statements", and its
  /// destructive statements.
  static func lines(for migration: PlannedMigration, sizes: [String: RelationSize] = [:])
    -> [String]
  {
    let count = migration.statements
    var line =
      "\(migration.fileName)  sha256 \(migration.upDigest.prefix(12))  \(count) statement\(count == 1 ? "" : "s")"
    if migration.sections > 1 {
      line += " in \(migration.sections) sections"
      if migration.outsideTransaction > 0 {
        line += ", \(migration.outsideTransaction) one by one (transaction:false)"
      }
    } else if migration.outsideTransaction > 0 {
      line += ", one by one (transaction:false)"
    }
    return [line] + migration.upNeedingConsent.map { "  \($0.shown)" }
      + migration.locks.flatMap { $0.planLines(indent: "  ", sizes: sizes) }
  }

  /// Marks a description destructive, or of unknown effect, by the statements found.
  static func flag(_ description: inout StepDescription, _ statements: [PlannedStatement]) {
    description.destructiveStatements = statements
    description.isDestructive = statements.contains { !$0.isUnknown }
    let unknown = statements.filter(\.isUnknown).count
    description.effectUnknown =
      unknown == 0 ? nil : "\(unknown) statement\(unknown == 1 ? "" : "s") cruddur cannot see through"
  }

  /// The destructive statements of `blocks` ("VERSION" for an up block, "VERSION down").
  static func destructive(_ keys: [String], in scans: [String: SQLScriptScan]) -> [PlannedStatement] {
    keys.flatMap { scans[$0]?.destructiveStatements ?? [] }
  }

  /// The timeouts each migration runs with, when cruddur sets any (always on a protected
  /// environment), and its retries (each migration whole; a transaction:false one is not).
  private static func lockLine(_ policy: LockTimeoutPolicy) -> [String] {
    guard let line = policy.planLine(isOneTransaction: true) else { return [] }
    return [line]
  }

  private static func dumpLine(_ prepared: Prepared) -> [String] {
    guard let file = prepared.dumpFile else { return [] }
    if let environment = prepared.protectedEnvironment {
      return ["no structure dump: \(environment) is protected"]
    }
    return ["then writes \(file) (pg_dump --schema-only)"]
  }

  /// `STEP` (how many to roll back), `ALLOW_OUT_OF_ORDER` (apply older pending ones), and
  /// `RESUME_FROM` / `MARK_APPLIED` (how to go on after an interrupted migration).
  public func variablesRead(_ spec: Spec) -> Set<String>? {
    let folder = Set(spec.template?.variableNames ?? [])
    if spec.mode == .rollback { return folder.union(["STEP"]) }
    if spec.mode == .up { return folder.union(["ALLOW_OUT_OF_ORDER", "RESUME_FROM", "MARK_APPLIED"]) }
    return folder
  }

  static func stepCount(_ scope: Scope) throws -> Int {
    guard let text = scope.value("STEP") else { return 1 }
    guard let count = Int(text), count > 0 else {
      throw RunError(.invalidStepCount(text))
    }
    return count
  }

  static func allowsOutOfOrder(_ scope: Scope) -> Bool {
    ["1", "true", "yes"].contains(scope.value("ALLOW_OUT_OF_ORDER")?.lowercased() ?? "")
  }

  /// The applied set as a saved plan records it: one "version sha256" a migration.
  static func targetState(_ state: MigrationLedger.State) -> [String] {
    state.applied.map { "\($0.version) \($0.sha256.map { String($0.prefix(12)) } ?? "(dbmate)")" }
  }

  /// The step as its target says now: the ledgers and the INVALID indexes read in a
  /// read-only transaction, with the sizes of the tables the statements lock.
  public func inspect(_ prepared: Prepared, spec: Spec, step: PlannedStep, in context: StepContext)
    async throws
    -> Prepared?
  {
    guard spec.mode != .status else { return nil }
    let spec = try resolved(spec, in: context.scope, projectRoot: context.projectRoot)
    let (set, scans) = try Self.load(spec, projectRoot: context.projectRoot, judges: context.environment.isProtected)
    let info = try PostgresSession.info(for: context.environment)
    let dbmate = Self.dbmate(spec, info)
    let relations = Set(scans.values.flatMap { $0.lockedStatements.flatMap { $0.claims.map(\.relation) } })
    let (ledger, invalidIndexes, sizes) = try await MigrationLedger.readOnly(info, environment: context.environment) {
      (
        try await MigrationLedger.read($0, dbmate: dbmate, probeFirst: true), try await InvalidIndexRepair.all(on: $0),
        try await RelationSize.read(relations, on: $0)
      )
    }
    let state = try Self.reconciled(ledger)
    let status = MigrationStatus(files: set, applied: state.applied)
    var inspected = prepared
    // Each migration's statements as read with the target's reading.
    inspected.migrations = set.files.map { PlannedMigration($0, scans: scans) }
    var reading = TargetReading(
      applied: Self.targetState(state),
      sizes: sizes.keys.sorted().map { SizedRelation(relation: $0, size: sizes[$0]!) })
    switch spec.mode {
    case .status:
      return nil
    case .up:
      let pending = status.pending
      reading.pending = pending.map(\.fileName)
      reading.changed = status.changed.map { entry in
        ChangedMigration(
          shown: entry.file?.displayPath ?? entry.version,
          appliedDigest: entry.applied?.sha256.map { String($0.prefix(12)) } ?? "?",
          nowDigest: entry.file.map { String($0.upSHA256.prefix(12)) } ?? "?")
      }
      if !Self.allowsOutOfOrder(context.scope) { reading.olderThanApplied = status.outOfOrder.map(\.fileName) }
      // A pending concurrent build whose index a failed run left INVALID drops it first.
      for file in pending {
        for block in file.ups where !block.inTransaction {
          let builds = Set(InvalidIndexRepair(script: String(decoding: block.script, as: UTF8.self)).names)
          for name in invalidIndexes
          where builds.contains(name) || builds.contains(String(name.split(separator: ".").last ?? "")) {
            reading.drops.append(InvalidIndexRepair.plannedDrop(name, file: file.displayPath))
          }
        }
      }
      reading.invalidIndexes = invalidIndexes
      let heavy = heavyLocks(spec, pending, scans: scans, environment: context.environment, sizes: sizes)
      (reading.heavyLocks, reading.heavyLockLines) = (heavy.consent, heavy.lines)
    case .rollback:
      let count = prepared.stepCount ?? 1
      reading.rolledBack = status.appliedNewestFirst.prefix(count).map { entry in
        RolledBack(
          version: entry.version, name: entry.name, fileName: entry.file?.fileName,
          hasDown: entry.file?.hasDown ?? false)
      }
    }
    inspected.reading = reading
    return inspected
  }

  /// An inspected step as a plan shows it: what the target said, in the order `plan --check`
  /// has always shown it.
  private func describe(_ prepared: Prepared, as reading: TargetReading) -> StepDescription {
    let migrations = Dictionary(
      prepared.migrations.map { ($0.fileName, $0) }, uniquingKeysWith: { a, _ in a })
    let origin = "read from the target in a read-only transaction"
    var description = StepDescription(target: prepared.target, summary: "", files: prepared.files)
    description.targetState = reading.applied
    switch prepared.mode {
    case .status:
      return describe(prepared)
    case .up:
      let pending = reading.pending.compactMap { migrations[$0] }
      let sizes = reading.sizesByRelation
      var details = pending.flatMap { Self.lines(for: $0, sizes: sizes) }
      if pending.isEmpty { details.append("nothing pending: \(reading.applied.count) applied") }
      if !pending.isEmpty { details += Self.lockLine(prepared.timeouts) }
      for entry in reading.changed {
        details.append(
          "changed since applied (a run refuses): \(entry.shown)  "
            + "sha256 applied \(entry.appliedDigest), now \(entry.nowDigest)")
      }
      for file in reading.olderThanApplied {
        details.append("older than the newest applied (a run refuses without ALLOW_OUT_OF_ORDER=1): \(file)")
      }
      details += Self.dumpLine(prepared)
      details += reading.drops.map { "destructive: \($0.text) (\($0.file ?? "?"))" }
      details += reading.invalidIndexes.map { "INVALID index on the target (a failed concurrent build): \($0)" }
      details += reading.heavyLockLines
      let count = reading.pending.count
      description.summary =
        "apply \(count) pending migration\(count == 1 ? "" : "s") of \(prepared.folder) (\(origin))"
      description.details = details
      Self.flag(&description, pending.flatMap(\.upNeedingConsent) + reading.drops + reading.heavyLocks)
    case .rollback:
      let chosen = reading.rolledBack
      var details: [String] = chosen.map { entry in
        guard let file = entry.fileName else { return "\(entry.version)_\(entry.name): missing file (a run refuses)" }
        guard entry.hasDown else { return "\(file): no down block (a run refuses)" }
        return "\(file)  down block"
      }
      let downs = chosen.compactMap { $0.fileName.flatMap { migrations[$0] } }.flatMap(\.downNeedingConsent)
      details += chosen.compactMap { $0.fileName.flatMap { migrations[$0] } }.flatMap {
        $0.downNeedingConsent.map { "  \($0.shown)" }
      }
      if !chosen.isEmpty { details += Self.lockLine(prepared.timeouts) }
      details += Self.dumpLine(prepared)
      description.summary =
        "roll back \(chosen.count) migration\(chosen.count == 1 ? "" : "s") of \(prepared.folder) (\(origin))"
      description.details = details
      Self.flag(&description, downs)
    }
    return description
  }

  public func run(_ prepared: Prepared, spec: Spec, step: PlannedStep, in context: StepContext)
    async throws
  {
    var spec = try resolved(spec, in: context.scope, projectRoot: context.projectRoot)
    // The folder the plan resolved, whatever the variables say now.
    spec.directory = SourceLoader.resolve(prepared.folder, relativeTo: context.projectRoot)
    spec.displayDirectory = prepared.folder
    let set: MigrationSet
    if let loaded = prepared.loaded {
      // The bytes planning read and pinned: each file is read once per run.
      set = loaded
    } else {
      // A saved plan pinned the files' bytes: the folder must hold exactly those files with
      // those bytes (one changed, added or gone since is refused here, before the target is
      // touched), so the run applies the migrations the value names and no other.
      set = try MigrationSet(directory: spec.directory, projectRoot: context.projectRoot)
      let planned = Dictionary(
        prepared.files.map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a })
      for file in set.files where planned[file.displayPath] != file.fileSHA256 {
        throw RunError(.migrationChangedSincePlan(path: file.displayPath))
      }
      let found = Set(set.files.map(\.displayPath))
      if let gone = prepared.files.first(where: { !found.contains($0.path) }) {
        throw RunError(.migrationChangedSincePlan(path: gone.path))
      }
    }
    // A dump path that cannot be written is refused before any migration runs, not after.
    if let path = spec.dumpPath, spec.mode != .status, !context.environment.isProtected,
      let refusal = OutputFile.refusal(at: path)
    {
      throw RunError(.refusedOutput(path: SourceLoader(root: context.projectRoot).relative(path), reason: refusal.reason))
    }
    let base = try PostgresSession.info(for: context.environment)
    let leases = PostgresSession.Leases(context: context, step: step)
    // The applied set the run holds the target to under the lock: what the value read there,
    // else what the step's description recorded (a fleet target's own reading), if anything.
    let recorded = prepared.reading?.applied ?? step.description.targetState
    do {
      let connection = try await leases.connection(to: base)
      switch spec.mode {
      case .status:
        try await status(
          set, dbmate: Self.dbmate(spec, base), step: step, context: context, on: connection)
      case .up:
        try await up(
          spec, set, checked: prepared.loaded != nil, recorded: recorded, step: step, context: context,
          base: base, leases: leases)
      case .rollback:
        // As many as the value says, whatever STEP says now.
        try await rollback(
          spec, set, checked: prepared.loaded != nil, count: try prepared.stepCount ?? Self.stepCount(context.scope),
          recorded: recorded, step: step, context: context, base: base, leases: leases)
      }
      await leases.giveBackAll()
    } catch {
      await leases.giveBackAll()
      throw error
    }
  }

  private func status(
    _ set: MigrationSet, dbmate: DbmateLedger, step: PlannedStep, context: StepContext, on connection: Connection
  ) async throws {
    let state = try Self.reconciled(try await MigrationLedger.read(connection, dbmate: dbmate))
    let status = MigrationStatus(files: set, applied: state.applied)
    let rows = status.entries.map { entry -> [String?] in
      [entry.version, entry.name, entry.appliedAt ?? (entry.applied != nil ? "(dbmate)" : nil), entry.state.rawValue]
    }
    // The same three events as a streamed query result, so every renderer prints it alike.
    context.events.emit(.stepRowsStarted(step: step, columns: RowColumns(names: ["version", "name", "applied_at", "state"])))
    if !rows.isEmpty { context.events.emit(.stepRowChunk(step: step, rows: rows)) }
    context.events.emit(.stepRowsFinished(step: step, count: rows.count, commandTag: nil))
  }

  /// Reads the target; with work to do, takes the run lock and reads it again, since
  /// another run may have applied the same migrations meanwhile.
  /// Both ledgers are read on every run; what dbmate applied or rolled back since is
  /// written into cruddur's under the lock, and said.
  private func lockedState(
    _ set: MigrationSet, dbmate: DbmateLedger, step: PlannedStep, context: StepContext, base: ConnInfo,
    connection: Connection, recorded: [String]?,
    hasWork: (MigrationStatus, MigrationLedger.State) throws -> Bool
  ) async throws -> (state: MigrationLedger.State, status: MigrationStatus, hasWork: Bool) {
    let first = try Self.reconciled(try await MigrationLedger.read(connection, dbmate: dbmate))
    let firstStatus = MigrationStatus(files: set, applied: first.applied)
    guard try hasWork(firstStatus, first) || first.reconciliation?.needsWrite == true else {
      return (first, firstStatus, false)
    }
    try await RunLocks.shared(in: context.resources).ensure(
      target: base, environment: context.environment, resources: context.resources, projectRoot: context.projectRoot,
      events: context.events)
    let state = try Self.reconciled(try await MigrationLedger.read(connection, dbmate: dbmate))
    if let recorded, recorded != Self.targetState(state) {
      throw RunError(.appliedMigrationsChanged(recorded: recorded, current: Self.targetState(state)))
    }
    if let reconciliation = state.reconciliation, reconciliation.needsWrite {
      try await MigrationLedger.reconcile(reconciliation, files: set, on: connection)
      let table = state.dbmateTable ?? dbmate.shown
      for adopted in reconciliation.adopted {
        let name = set.file(version: adopted.version)?.fileName ?? adopted.version
        context.events.emit(
          .stepOutput(step: step, line: "adopted \(name): dbmate applied it since (\(table))", stream: .stdout))
      }
      for gone in reconciliation.rolledBack {
        let name = set.file(version: gone.version)?.fileName ?? "\(gone.version)_\(gone.name)"
        context.events.emit(
          .stepOutput(
            step: step, line: "\(name): dbmate rolled it back since (\(table)); no longer recorded as applied",
            stream: .stdout))
      }
    }
    let status = MigrationStatus(files: set, applied: state.applied)
    return (state, status, try hasWork(status, state))
  }

  /// `checked`: planning checked every block of `set` already.
  private func up(
    _ spec: Spec, _ set: MigrationSet, checked: Bool, recorded: [String]?, step: PlannedStep,
    context: StepContext,
    base: ConnInfo,
    leases: PostgresSession.Leases
  ) async throws {
    let connection = try await leases.connection(to: base)
    let allowOutOfOrder = Self.allowsOutOfOrder(context.scope)
    let locked = try await lockedState(
      set, dbmate: Self.dbmate(spec, base), step: step, context: context, base: base, connection: connection,
      recorded: recorded
    ) { status, state in
      if let refusal = status.refusal(allowOutOfOrder: allowOutOfOrder) { throw refusal }
      return !status.pending.isEmpty || (!state.hasTable && state.hasDBMateTable)
    }
    let (state, status) = (locked.state, locked.status)
    guard locked.hasWork else {
      let count = status.entries.filter { $0.applied != nil }.count
      context.events.emit(.stepOutput(step: step, line: "nothing to migrate: \(count) applied, none pending", stream: .stdout))
      if let path = spec.dumpPath, !context.environment.isProtected, !FileManager.default.fileExists(atPath: path) {
        try await dump(spec, path: path, base: base, step: step, context: context)
      }
      return
    }
    let pending = status.pending
    // Each pending block is checked before the first one runs: a problem in the third must
    // not surface after the first two were committed. Planning checked the files it handed
    // over already.
    var problems: [Diagnostic] = []
    for file in pending where !checked {
      for block in file.ups {
        problems += file.scan(block, projectRoot: context.projectRoot, locks: false).diagnostics
      }
    }
    if !problems.isEmpty { throw RunError(problems.map(PostgresRunErrorKind.sqlProblem)) }
    if !state.hasTable { try await MigrationLedger.create(on: connection, adopting: state, files: set) }
    let (toRun, resume) = try await interruptions(pending, state: state, step: step, context: context, on: connection)
    var applied: [MigrationFile] = []
    // A fleet target's record goes into the last migration's transaction when nothing
    // follows it in this step (no schema dump).
    let fleetRecorder =
      spec.dumpPath == nil || context.environment.isProtected
      ? FleetRecorder.Hook.recorder(in: context.resources) : nil
    for file in toRun {
      let started = ContinuousClock.now
      let alsoInDBMate = state.dbmateTable
      do {
        if file.isProgressive {
          try await runProgressive(
            spec, file, startAt: resume?.version == file.version ? resume!.statement : 1, alsoInDBMate: alsoInDBMate,
            started: started, step: step, context: context, base: base, leases: leases)
        } else {
          try await runBlock(spec, file.up, of: file, step: step, context: context, base: base, leases: leases) {
            connection in
            try await MigrationLedger.record(
              file, duration: ContinuousClock.now - started, on: connection, alsoInDBMate: alsoInDBMate)
            if file.version == toRun.last?.version {
              try await fleetRecorder?.recordInTransaction(on: connection, step: step)
            }
          }
        }
      } catch is CancellationError {
        throw CancellationError()
      } catch {
        throw MigrationFailedError(
          underlying: error, failed: file, applied: applied,
          notStarted: Array(toRun.drop { $0.version != file.version }.dropFirst()))
      }
      applied.append(file)
      context.events.emit(
        .stepOutput(
          step: step, line: "applied \(file.fileName) in \(Self.milliseconds(ContinuousClock.now - started)) ms",
          stream: .stdout))
    }
    context.events.emit(
      .stepOutput(
        step: step, line: "\(applied.count) migration\(applied.count == 1 ? "" : "s") applied", stream: .stdout))
    if let path = spec.dumpPath, !context.environment.isProtected {
      try await dump(spec, path: path, base: base, step: step, context: context)
    }
  }

  private func rollback(
    _ spec: Spec, _ set: MigrationSet, checked: Bool, count: Int, recorded: [String]?,
    step: PlannedStep, context: StepContext,
    base: ConnInfo,
    leases: PostgresSession.Leases
  ) async throws {
    let connection = try await leases.connection(to: base)
    func chosen(_ status: MigrationStatus) throws -> [MigrationFile] {
      let entries = Array(status.appliedNewestFirst.prefix(count))
      if entries.count < count {
        throw RunError(.rollbackTooFar(requested: count, applied: entries.count))
      }
      var problems: [PostgresRunErrorKind] = []
      var files: [MigrationFile] = []
      for entry in entries {
        guard let file = entry.file else {
          problems.append(.rollbackFileMissing(version: entry.version, folder: spec.displayDirectory))
          continue
        }
        guard file.hasDown else {
          problems.append(.rollbackWithoutDown(path: file.displayPath))
          continue
        }
        files.append(file)
      }
      if !problems.isEmpty { throw RunError(problems) }
      return files
    }
    let locked = try await lockedState(
      set, dbmate: Self.dbmate(spec, base), step: step, context: context, base: base, connection: connection,
      recorded: recorded
    ) { status, _ in !(try chosen(status)).isEmpty }
    guard locked.hasWork else { return }
    let (state, files) = (locked.state, try chosen(locked.status))
    var problems: [Diagnostic] = []
    for file in files where !checked {
      for block in file.downs {
        problems += file.scan(block, projectRoot: context.projectRoot, locks: false).diagnostics
      }
    }
    if !problems.isEmpty { throw RunError(problems.map(PostgresRunErrorKind.sqlProblem)) }
    var done: [MigrationFile] = []
    for file in files {
      let alsoInDBMate = state.dbmateTable
      do {
        // Last section first, as dbmate 2 runs them; the record goes with the last run.
        for (index, block) in file.downs.reversed().enumerated() {
          let isLast = index == file.downs.count - 1
          try await runBlock(spec, block, of: file, step: step, context: context, base: base, leases: leases) {
            guard isLast else { return }
            try await MigrationLedger.forget(file.version, on: $0, alsoInDBMate: alsoInDBMate)
          }
        }
      } catch is CancellationError {
        throw CancellationError()
      } catch {
        throw MigrationFailedError(
          underlying: error, failed: file, applied: done,
          notStarted: Array(files.drop { $0.version != file.version }.dropFirst()), isRollback: true)
      }
      done.append(file)
      context.events.emit(.stepOutput(step: step, line: "rolled back \(file.fileName)", stream: .stdout))
    }
    if let path = spec.dumpPath, !context.environment.isProtected {
      try await dump(spec, path: path, base: base, step: step, context: context)
    }
  }

  /// Migrations that started and never finished (`MigrationProgress`) are refused with
  /// what ran, before anything runs, unless the user says how to go on: `RESUME_FROM=N`
  /// (the first interrupted one, from its statement N) or `MARK_APPLIED=VERSION` (recorded
  /// as applied, nothing run). Returns what is left to run and where to resume.
  private func interruptions(
    _ pending: [MigrationFile], state: MigrationLedger.State, step: PlannedStep, context: StepContext,
    on connection: Connection
  ) async throws -> (toRun: [MigrationFile], resume: (version: String, statement: Int)?) {
    // Both states in one read (MARK_APPLIED below changes only a "started" row's state).
    let byState = try await MigrationProgress.interrupted(on: connection, states: ["started", "failed"])
    let interrupted = byState["started"] ?? [:]
    var toRun = pending
    if let version = context.scope.value("MARK_APPLIED") {
      guard let file = pending.first(where: { MigrationSet.normalized($0.version) == MigrationSet.normalized(version) })
      else {
        throw RunError(
          .migrationNothingToResume(variable: "MARK_APPLIED", value: version, reason: "no pending migration has that version"))
      }
      try await MigrationLedger.record(
        file, duration: .zero, on: connection, alsoInDBMate: state.dbmateTable, note: "marked applied")
      if interrupted[MigrationSet.normalized(file.version)] != nil {
        try await MigrationProgress.finish(file.version, state: "marked applied", on: connection)
      }
      context.events.emit(
        .stepOutput(step: step, line: "marked \(file.fileName) applied without running it (MARK_APPLIED)", stream: .stdout))
      toRun.removeAll { $0.version == file.version }
    }
    let stopped = toRun.filter { interrupted[MigrationSet.normalized($0.version)] != nil }
    var resume: (version: String, statement: Int)?
    // One that failed on a server error last time goes on from the statement that failed.
    let failed = byState["failed"] ?? [:]
    if context.scope.value("RESUME_FROM") == nil, stopped.isEmpty,
      let file = toRun.first(where: { failed[MigrationSet.normalized($0.version)] != nil }),
      let record = failed[MigrationSet.normalized(file.version)]
    {
      resume = (file.version, record.done + 1)
      if record.done > 0 {
        context.events.emit(
          .stepOutput(
            step: step,
            line: "\(file.fileName) failed at statement \(record.done + 1) last time; going on from there",
            stream: .stdout))
      }
    }
    if let text = context.scope.value("RESUME_FROM") {
      guard let statement = Int(text), statement > 0 else {
        throw RunError(.migrationNothingToResume(variable: "RESUME_FROM", value: text, reason: "not a statement number"))
      }
      guard let first = stopped.first else {
        throw RunError(
          .migrationNothingToResume(variable: "RESUME_FROM", value: text, reason: "no pending migration was interrupted"))
      }
      resume = (first.version, statement)
    }
    if let file = stopped.first(where: { $0.version != resume?.version }),
      let record = interrupted[MigrationSet.normalized(file.version)]
    {
      let statements = Self.statements(of: file, projectRoot: context.projectRoot)
      func shown(_ number: Int) -> String? {
        guard number >= 1, number <= statements.count else { return nil }
        return "statement \(number) (\(file.displayPath):\(statements[number - 1].line)): \(statements[number - 1].text)"
      }
      throw RunError(
        .migrationInterrupted(
          path: file.displayPath, version: file.version, done: record.done, total: statements.count,
          since: "\(record.since) by \(record.by)", lastDone: shown(record.done), running: shown(record.done + 1)))
    }
    return (toRun, resume)
  }

  /// The statements of a file's up blocks, numbered from 1 in order: line and first line.
  static func statements(of file: MigrationFile, projectRoot: String) -> [(line: Int, text: String)] {
    var list: [(line: Int, text: String)] = []
    for block in file.ups {
      let cursor = SQLScriptCursor(bytes: block.script, path: file.path, projectRoot: projectRoot)
      while let next = try? cursor.next() {
        guard case .statement(let statement) = next.item, !statement.text.isEmpty else { continue }
        let first = statement.text.prefix { $0 != "\n" && $0 != "\r" }
        list.append((statement.line, first.count > 60 ? first.prefix(57) + "..." : String(first)))
      }
    }
    return list
  }

  /// A migration that is not one transaction: "started" committed first, each statement
  /// of a `transaction:false` block counted as it commits, a transactional section's count
  /// committed with it, "done" with the ledger's row. From `startAt` when resuming.
  private func runProgressive(
    _ spec: Spec, _ file: MigrationFile, startAt: Int, alsoInDBMate: String?, started: ContinuousClock.Instant, step: PlannedStep,
    context: StepContext, base: ConnInfo, leases: PostgresSession.Leases
  ) async throws {
    let connection = try await leases.connection(to: base)
    let counts = file.ups.map { file.scan($0, projectRoot: context.projectRoot, locks: false).statementCount }
    let total = counts.reduce(0, +)
    let note = startAt > 1 ? "resumed from statement \(startAt)" : nil
    try await MigrationProgress.start(file, done: startAt - 1, total: total, on: connection)
    @Sendable func finish(_ connection: Connection) async throws {
      try await MigrationLedger.record(
        file, duration: ContinuousClock.now - started, on: connection, alsoInDBMate: alsoInDBMate, note: note)
      try await MigrationProgress.finish(file.version, state: "done", on: connection)
    }
    do {
      try await runSections(
        spec, file, startAt: startAt, counts: counts, finish: finish, step: step, context: context, base: base,
        leases: leases, connection: connection)
    } catch let error where !(error is CancellationError) {
      // The server reported the error: the failing statement (or transactional section) left
      // nothing, and the count says what committed before it, so the next run goes on from
      // there. A run killed or cancelled midway stays "started" and is refused instead.
      try? await MigrationProgress.finish(file.version, state: "failed", on: connection)
      throw error
    }
  }

  private func runSections(
    _ spec: Spec, _ file: MigrationFile, startAt: Int, counts: [Int],
    finish: @escaping @Sendable (Connection) async throws -> Void, step: PlannedStep, context: StepContext,
    base: ConnInfo, leases: PostgresSession.Leases, connection: Connection
  ) async throws {
    var index = 0
    for (number, block) in file.ups.enumerated() {
      let isLast = number == file.ups.count - 1
      let end = index + counts[number]
      defer { index = end }
      if block.inTransaction {
        // A transactional section either committed whole (and its count with it) or left nothing.
        if end < startAt { continue }
        try await runBlock(spec, block, of: file, step: step, context: context, base: base, leases: leases) {
          connection in
          try await MigrationProgress.advance(file.version, to: end, on: connection)
          if isLast { try await finish(connection) }
        }
      } else {
        let events = context.events
        var announce: (@Sendable (String) -> Void)?
        if context.isVerbose { announce = { events.emit(.stepCommand(step: step, text: $0)) } }
        let policy = LockTimeoutPolicy(task: spec.lockSettings, environment: context.environment)
        let first = index
        try await withIndexRepair(block, step: step, context: context, base: base, leases: leases) {
          // Session settings for statements outside a transaction, reset after (even on failure).
          if let settings = policy.sessionSettings { _ = try await connection.execute(settings) }
          do {
            _ = try await StatementByStatement(
              file: file, block: block, firstIndex: first, startAt: startAt, projectRoot: context.projectRoot,
              announce: announce
            ).run(on: connection)
          } catch {
            if let reset = policy.resetSettings { _ = try? await connection.execute(reset) }
            throw error
          }
          if let reset = policy.resetSettings { _ = try await connection.execute(reset) }
        }
        if isLast { try await finish(connection) }
      }
    }
  }

  /// One block through the SQL loader, as a file of its own would run; `record` runs in its
  /// transaction just before COMMIT (or after the last statement, for `transaction:false`).
  /// A `transaction:false` block's concurrent index builds start over from an INVALID index
  /// a failed run left, and a failed one names the index it leaves.
  private func runBlock(
    _ spec: Spec, _ block: MigrationFile.Block, of file: MigrationFile, step: PlannedStep, context: StepContext, base: ConnInfo,
    leases: PostgresSession.Leases, record: @escaping @Sendable (Connection) async throws -> Void
  ) async throws {
    try await withIndexRepair(block, step: step, context: context, base: base, leases: leases) {
      try await runLocked(spec, block, of: file, step: step, context: context, base: base, leases: leases, record: record)
    }
  }

  /// A `transaction:false` block's concurrent index builds start over from an INVALID index a
  /// failed run left (dropped first, with consent on a protected environment), and a failed
  /// one names the index it leaves.
  private func withIndexRepair(
    _ block: MigrationFile.Block, step: PlannedStep, context: StepContext, base: ConnInfo,
    leases: PostgresSession.Leases, _ body: () async throws -> Void
  ) async throws {
    let repair = block.inTransaction ? nil : InvalidIndexRepair(script: String(decoding: block.script, as: UTF8.self))
    if let repair, !repair.isEmpty {
      let connection = try await leases.connection(to: base)
      let invalid = try await repair.invalid(on: connection)
      // On a protected environment the drop was in the plan consented to (`inspect`).
      if !invalid.isEmpty, context.environment.isProtected, !step.description.isDestructive {
        throw InvalidIndexConsentError(indexes: invalid, environment: context.environment.name)
      }
      _ = try await repair.repair(on: connection, step: step, events: context.events)
    }
    do {
      try await body()
    } catch let error where !(error is CancellationError) && !(repair?.isEmpty ?? true) {
      let left = (try? await repair?.invalid(on: try await leases.connection(to: base))) ?? []
      if left.isEmpty { throw error }
      throw InvalidIndexLeftError(underlying: error, indexes: left)
    }
  }

  private func runLocked(
    _ spec: Spec, _ block: MigrationFile.Block, of file: MigrationFile, step: PlannedStep, context: StepContext,
    base: ConnInfo, leases: PostgresSession.Leases, record: @escaping @Sendable (Connection) async throws -> Void
  ) async throws {
    let announce: (@Sendable (String) -> Void)?
    if context.isVerbose {
      let events = context.events
      announce = { events.emit(.stepCommand(step: step, text: $0)) }
    } else {
      announce = nil
    }
    let policy = LockTimeoutPolicy(task: spec.lockSettings, environment: context.environment)
    let locked = LockedStep(
      policy: policy, isOneTransaction: block.inTransaction, info: base, step: step, events: context.events)
    try await locked.run(connection: { try await leases.connection(to: base) }) { first in
      // A new loader each attempt: a retry reads the block again from its start.
      let loader = SQLLoader(
        cursor: SQLScriptCursor(bytes: block.script, path: file.path, projectRoot: context.projectRoot),
        displayPath: file.displayPath,
        options: .init(inTransaction: block.inTransaction, isChecked: true, beforeCommit: record, timeouts: policy),
        announce: announce)
      try await loader.run(on: first) { database, user in
        var info = base
        if let database { info["dbname"] = database }
        if let user { info["user"] = user }
        return try await leases.connection(to: info)
      }
    }
  }

  private func dump(_ spec: Spec, path: String, base: ConnInfo, step: PlannedStep, context: StepContext) async throws {
    let filled = try await base.fillingPassword(for: context.environment)
    let shown = SourceLoader(root: context.projectRoot).relative(path)
    let groups = ProcessGroups.shared(in: context.resources)
    try await Blocking.run { try StructureDump.write(filled, to: path, shownAs: shown, groups: groups) }
    context.events.emit(.stepOutput(step: step, line: "wrote \(shown)", stream: .stdout))
  }

  static func milliseconds(_ duration: Duration) -> Int64 {
    duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
  }
}
