import CruddurDigest
import Foundation

/// The fleet section of a saved plan (`plan TASK -e FLEET --out FILE`): every target the
/// fleet had when the plan was made, by its label and masked URL (never a password), with
/// what each step read from that target (`plan --check`'s per-target reading: the applied
/// migrations, and a digest of the step as described there). `apply` reads the fleet again
/// and refuses each target that drifted (`drift(from:)`). The plan's steps, its config and
/// file digests are the document's own (`SavedPlan`): they are the same on every target.
public struct SavedFleet: Codable, Sendable, Equatable {
  /// The version of this section's shape, raised on any incompatible change (the
  /// document's own `version` stays that of single-database plans, which read the same).
  public static let currentVersion = 1

  public var version: Int
  public var targets: [SavedFleetTarget]

  public init(targets: [SavedFleetTarget]) {
    version = Self.currentVersion
    self.targets = targets
  }

  /// Each target of `self` (the plan) that `current` (the fleet read now) no longer
  /// matches, in the plan's order, then the targets added since; with every reason.
  public func drift(from current: SavedFleet, tasks: [Int: String]) -> [FleetDrift] {
    let now = Dictionary(current.targets.map { ($0.label, $0) }, uniquingKeysWith: { a, _ in a })
    let planned = Set(targets.map(\.label))
    var drifted: [FleetDrift] = []
    for target in targets {
      guard let found = now[target.label] else {
        drifted.append(
          FleetDrift(label: target.label, reasons: ["gone from the fleet since the plan"]))
        continue
      }
      let reasons = target.differences(from: found, tasks: tasks)
      if !reasons.isEmpty { drifted.append(FleetDrift(label: target.label, reasons: reasons)) }
    }
    for target in current.targets where !planned.contains(target.label) {
      drifted.append(
        FleetDrift(
          label: target.label,
          reasons: target.unreadable.map { ["added to the fleet since the plan; \($0)"] }
            ?? ["added to the fleet since the plan"]))
    }
    return drifted
  }
}

/// One target of a saved fleet plan.
public struct SavedFleetTarget: Codable, Sendable, Equatable {
  /// `host:port/database`, the name fleet output gives it.
  public var label: String
  /// Its connection string, masked.
  public var target: String
  /// The steps whose description this target changed when read (a migrate step's pending
  /// migrations); a step not listed reads the same everywhere.
  public var steps: [SavedTargetStep]
  /// Why the target could not be read (only when `apply` reads it: a plan is not saved
  /// with a target it could not read).
  public var unreadable: String?

  public init(label: String, target: String, steps: [SavedTargetStep], unreadable: String? = nil) {
    self.label = label
    self.target = target
    self.steps = steps
    self.unreadable = unreadable
  }

  /// What moved between this (as planned) and `current` (as read now), one line each.
  public func differences(from current: SavedFleetTarget, tasks: [Int: String]) -> [String] {
    if let unreadable = current.unreadable { return ["cannot be read now: \(unreadable)"] }
    var lines: [String] = []
    if target != current.target { lines.append("target: \(target) → \(current.target)") }
    let before = Dictionary(steps.map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })
    let after = Dictionary(current.steps.map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })
    for number in Set(before.keys).union(after.keys).sorted() {
      let name = "step \(number) (\(tasks[number] ?? "?"))"
      let (old, new) = (before[number], after[number])
      if let was = old?.targetState, let now = new?.targetState, was != now {
        lines.append(
          "\(name): the target moved since the plan: it recorded \(Self.list(was)), now \(Self.list(now))"
        )
      } else if old?.sha256 != new?.sha256 {
        lines.append(
          "\(name) reads otherwise on the target: \(old?.summary ?? "as planned offline") → \(new?.summary ?? "as planned offline")"
        )
      }
    }
    return lines
  }

  private static func list(_ items: [String]) -> String {
    items.isEmpty ? "nothing" : items.joined(separator: ", ")
  }
}

/// A step as one target of a fleet described it when read.
public struct SavedTargetStep: Codable, Sendable, Equatable {
  public var number: Int
  /// What the step read from the target (the applied migrations, with digests), when it reads any.
  public var targetState: [String]?
  public var summary: String
  /// SHA-256 of what the step read there that decides what it does: the target's state,
  /// and the statements that make it destructive or of unknown effect. Not its address (the
  /// label says it), its files (the document's own) nor its lines, which carry what moves
  /// with every write (a database's size).
  public var sha256: String

  public init(number: Int, description: StepDescription) {
    self.number = number
    targetState = description.targetState
    summary = description.summary
    let comparable = Comparable(
      targetState: description.targetState, isDestructive: description.isDestructive,
      statements: description.destructiveStatements, effectUnknown: description.effectUnknown)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    sha256 = SHA256.hex(of: Array((try? encoder.encode(comparable)) ?? Data()))
  }
}

extension SavedTargetStep {
  /// The typed values a target's reading is compared by.
  private struct Comparable: Encodable {
    var targetState: [String]?
    var isDestructive: Bool
    var statements: [PlannedStatement]
    var effectUnknown: String?
  }
}

/// A target of a saved fleet plan that `apply` will not run, and why.
public struct FleetDrift: Sendable, Equatable {
  public var label: String
  public var reasons: [String]
  public init(label: String, reasons: [String]) {
    self.label = label
    self.reasons = reasons
  }
}
