import CruddurCore

/// What stops a fleet run before or instead of its targets (each target's own failure is a
/// result, not one of these). The words are decided here and nowhere else.
public struct FleetError: CruddurError, Equatable {
  public enum Kind: Sendable, Equatable {
    case invalidShard(String)
    case invalidCount(option: String, value: String)
    case perServerTooSmall(perServer: Int, server: String, needed: Int)
    case resolveFailed(environment: String, server: String, reason: String)
    case queryReturnedNothing(environment: String, control: String)
    case noTargets(environment: String, what: String)
    case invalidTarget(environment: String, row: Int, reason: String)
    case notAFleet(environment: String)
    case fleetOptionWithoutFleet(option: String, environment: String)
    case canaryTooLarge(canary: Int, targets: Int)
    case unknownRun(runID: String, environment: String)
    case invalidRunID(String)
    /// `plan --out` could not read a target, so the plan cannot record it.
    case targetUnreadableForPlan(label: String, reason: String)
    /// `apply` of a fleet plan: targets drifted since the plan (all of them listed).
    case planDrifted(path: String, drifted: [FleetDrift], targets: Int, skipping: Bool)
    /// `--skip-drifted` given for a plan of one database.
    case skipDriftedWithoutFleet(path: String)
  }

  public let kind: Kind
  public init(_ kind: Kind) { self.kind = kind }

  public var exitStatus: ExitStatus {
    switch kind {
    case .resolveFailed, .queryReturnedNothing, .noTargets, .invalidTarget, .unknownRun,
      .targetUnreadableForPlan:
      return .stepFailed
    case .planDrifted: return .refused
    default: return .configError
    }
  }

  /// The words, each diagnostic keeping the kind, so `--format json` names it
  /// (`invalidShard`) instead of the type.
  public var diagnostics: [Diagnostic] {
    words.map { words in
      var diagnostic = words
      diagnostic.errorKind = kind
      return diagnostic
    }
  }

  fileprivate var words: [Diagnostic] {
    switch kind {
    case .invalidShard(let text):
      return [
        .error(
          "--shard must be K/N with 1 ≤ K ≤ N, found `\(text)`",
          help: "`--shard 2/4` runs the second of four disjoint parts of the fleet")
      ]
    case .invalidCount(let option, let value):
      return [.error("\(option) must be a whole number of at least 1, found `\(value)`")]
    case .perServerTooSmall(let perServer, let server, let needed):
      return [
        .error(
          "per_server: \(perServer) for \(server) is less than the \(needed) connections one target of this run needs (the run lock's included)",
          help: "raise `per_server:` to at least \(needed)")
      ]
    case .resolveFailed(let environment, let server, let reason):
      return [
        .error(
          "cannot read the targets of fleet `\(environment)` from \(server): \(Redaction.redact(reason))"
        )
      ]
    case .queryReturnedNothing(let environment, let control):
      return [.error("the query of fleet `\(environment)` on `\(control)` returned no targets")]
    case .noTargets(let environment, let what):
      return [.error("fleet `\(environment)` has no targets: \(what)")]
    case .invalidTarget(let environment, let row, let reason):
      return [
        .error(
          "row \(row) of the query of fleet `\(environment)` is not a target: \(Redaction.redact(reason))"
        )
      ]
    case .notAFleet(let environment):
      return [
        .error(
          "environment `\(environment)` is one database, not a fleet",
          help: "`cruddur runs` reads a fleet's run records")
      ]
    case .fleetOptionWithoutFleet(let option, let environment):
      return [
        .error(
          "\(option) applies to a fleet, and environment `\(environment)` is one database",
          help: "declare the fleet with `urls:`, `server:` + `databases:` or `from:` + `query:`")
      ]
    case .canaryTooLarge(let canary, let targets):
      return [
        .error(
          "--canary \(canary) is more than the fleet's \(targets) target\(targets == 1 ? "" : "s")")
      ]
    case .unknownRun(let runID, let environment):
      return [.error("no target of fleet `\(environment)` has a record of run `\(runID)`")]
    case .targetUnreadableForPlan(let label, let reason):
      return [
        .error(
          "cannot read target \(label) to save the fleet's plan: \(Redaction.redact(reason)); nothing was saved",
          help: "a saved fleet plan records what every target reads; `plan --check` shows them all")
      ]
    case .planDrifted(let path, let drifted, let targets, let skipping):
      let n = drifted.count
      let what =
        "\(n) of the \(targets) target\(targets == 1 ? "" : "s") planned in `\(path)` drifted since the plan"
      return [
        .error(
          skipping
            ? "refused: \(what), and no other is left to run; nothing was run"
            : "refused: \(what); nothing was run",
          notes: drifted.map { .init("\($0.label): \($0.reasons.joined(separator: "; "))") },
          help: skipping
            ? "plan again, review it, and apply the new plan"
            : "plan again and apply the new plan, or run the others with `cruddur apply \(path) --skip-drifted`"
        )
      ]
    case .skipDriftedWithoutFleet(let path):
      return [
        .error(
          "--skip-drifted applies to a saved fleet plan, and `\(path)` is the plan of one database",
          help: "a plan of one database runs whole or not at all: plan again if it drifted")
      ]
    case .invalidRunID(let text):
      return [
        .error(
          "`\(text)` is not a run id",
          help: "a run id looks like `20261207-1730-4f2a9c`, as the run's summary printed it")
      ]
    }
  }
}

/// A fleet's reasons are this module's error kinds: code, exit status and words.
extension FleetError.Kind: ErrorKind {
  public var exitStatus: ExitStatus { FleetError(self).exitStatus }

  public func diagnostic(at location: SourceLocation?) -> Diagnostic {
    var diagnostic = FleetError(self).diagnostics[0]
    if diagnostic.location == nil { diagnostic.location = location }
    return diagnostic
  }
}
