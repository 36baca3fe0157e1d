import CruddurCore
import Foundation

/// `sql: FILE`: loads a SQL file (hand-written or plain `pg_dump` output) into the
/// environment's database, in one transaction by default so a failure leaves nothing of
/// the file behind. `transaction: false` runs it like `psql -f` with `ON_ERROR_STOP`, for
/// files with statements that cannot run in a transaction block (`CREATE DATABASE`, ...).
public struct SQLExecutor: Executor {
  struct Spec: StepSpec {
    var path: String
    var displayPath: String
    var location: SourceLocation
    var inTransaction: Bool
    /// The file was scanned at decode time and passed every rule.
    var isChecked: Bool
    /// From the decode-time scan, so plans need not read the file again.
    var statementCount: Int?
    var digest: String?
    var destructiveStatements: [String]?
  }

  public init() {}
  public var actionKey: String { "sql" }
  public var taskKeys: Set<String> { ["transaction"] }

  public func decode(_ input: ActionInput, diagnostics: inout [Diagnostic]) -> (any StepSpec)? {
    guard let file = input.value.string, !input.value.isNull else {
      diagnostics.append(
        .error("`sql` must be the path of a SQL file, found \(input.value.kindName)", at: input.value.spanLocation))
      return nil
    }
    var inTransaction = true
    if let node = input.task["transaction"] {
      switch node.string {
      case "true": inTransaction = true
      case "false": inTransaction = false
      default:
        diagnostics.append(.error("`transaction` must be `true` or `false`", at: node.spanLocation))
      }
    }
    let path = SourceLoader.resolve(file, relativeTo: input.directory)
    guard input.fileExists(path) else {
      diagnostics.append(.error("SQL file `\(file)` does not exist", at: input.value.spanLocation))
      return nil
    }
    if let problem = SourceLoader.checkRegularFile(path, shownAs: file) {
      diagnostics.append(.error(problem, at: input.value.spanLocation))
      return nil
    }
    var scan: SQLScriptScan?
    if Self.size(of: path) <= SQLScriptScan.decodeLimit {
      scan = SQLScriptScan(path: path, projectRoot: input.projectRoot, inTransaction: inTransaction)
      diagnostics.append(contentsOf: scan?.diagnostics ?? [])
    }
    let isChecked = scan?.diagnostics.isEmpty ?? false
    return Spec(
      path: path, displayPath: SourceLoader(root: input.projectRoot).relative(path), location: input.value.location,
      inTransaction: inTransaction, isChecked: isChecked, statementCount: isChecked ? scan?.statementCount : nil,
      digest: isChecked ? scan?.digest : nil, destructiveStatements: isChecked ? scan?.destructiveStatements : nil)
  }

  public func describe(_ spec: any StepSpec, in context: PlanContext) throws -> StepDescription {
    let spec = spec as! Spec
    var count = spec.statementCount ?? 0
    var digest = spec.digest
    var destructive = spec.destructiveStatements ?? []
    if spec.statementCount == nil || digest == nil || spec.destructiveStatements == nil {
      let scan = SQLScriptScan(path: spec.path, projectRoot: context.projectRoot, inTransaction: spec.inTransaction)
      count = scan.statementCount
      digest = scan.digest ?? Self.digest(of: spec.path)
      destructive = scan.destructiveStatements
    }
    let shown = digest.map { String($0.prefix(12)) } ?? "unreadable"
    return StepDescription(
      target: try PostgresSession.target(context),
      summary: "run \(spec.displayPath) " + (spec.inTransaction ? "in one transaction" : "statement by statement"),
      details: [
        "file: \(spec.displayPath) (\(Self.size(of: spec.path)) bytes, \(count) statement\(count == 1 ? "" : "s"))",
        "sha256: \(shown)",
      ] + destructive.prefix(5).map { "destructive: \($0)" }
        + (destructive.count > 5 ? ["destructive: \(destructive.count - 5) more"] : []),
      isDestructive: !destructive.isEmpty)
  }

  /// With `-v`, each statement is shown as it is queued.
  private func announcer(for step: PlannedStep, in context: StepContext) -> (@Sendable (String) -> Void)? {
    guard context.isVerbose else { return nil }
    let events = context.events
    return { text in events.emit(.stepCommand(step: step, text: text)) }
  }

  public func run(_ spec: any StepSpec, step: PlannedStep, in context: StepContext) async throws {
    let spec = spec as! Spec
    if !spec.isChecked && !spec.inTransaction {
      // Without a transaction nothing can be undone, so a large file that was not
      // checked at decode time is checked now, before anything is sent.
      let scan = SQLScriptScan(path: spec.path, projectRoot: context.projectRoot, inTransaction: false)
      if !scan.diagnostics.isEmpty { throw RunError(scan.diagnostics, exitStatus: .configError) }
    }
    let loader = try SQLLoader(
      path: spec.path, projectRoot: context.projectRoot,
      options: .init(inTransaction: spec.inTransaction, isChecked: spec.isChecked),
      totalBytes: Self.size(of: spec.path), showsProgress: !context.isQuiet,
      announce: announcer(for: step, in: context))
    let first = try await PostgresSession.connection(context)
    let base = first.info
    try await loader.run(on: first) { database, user in
      var info = base
      if let database { info["dbname"] = database }
      if let user { info["user"] = user }
      return try await SessionPool.shared(in: context.resources).connection(
        to: info, environment: context.environment, projectRoot: context.projectRoot)
    }
  }

  static func size(of path: String) -> Int {
    (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
  }

  /// SHA-256 of the file, read in pieces so a large dump is never held in memory.
  static func digest(of path: String) -> String? {
    guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    let hasher = FileDigest()
    while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
      chunk.withUnsafeBytes { hasher.update($0.bindMemory(to: UInt8.self)) }
    }
    return hasher.finalizeHex()
  }
}
