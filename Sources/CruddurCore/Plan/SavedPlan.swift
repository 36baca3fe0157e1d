import CruddurDigest
import Foundation

/// A plan kept for later (`plan --out`), to be run as it was read (`apply`): the plan
/// itself, what it was made from (the tasks and their parameters, the environment), and
/// the SHA-256 of everything it depends on (each config file, each file a step reads, the
/// target), so `apply` can refuse when any of it moved. Never holds a password: targets
/// are masked, and shell commands appear as written, with variables by name.
public struct SavedPlan: Codable, Sendable, Equatable {
  public static let formatName = "cruddur-plan"
  /// 2: each step's `Prepared` value is stored, typed (`prepared`), and compared as a value.
  public static let currentVersion = 2

  public var format: String
  public var version: Int
  public var createdAt: String
  public var invocations: [Invocation]
  public var environment: String
  /// Every config file read (cruddur.yml and its includes), project-relative.
  public var configFiles: [PlannedFile]
  public var plan: Plan
  /// Each step's `Prepared` value, in step order: what `apply` runs, once it has compared it
  /// with the one made now.
  public var prepared: [PreparedPayload]
  /// A fleet's plan: its targets, each with what it read (nil, and absent from the JSON,
  /// for a plan of one database).
  public var fleet: SavedFleet?
  /// SHA-256 of this document's canonical JSON without `digest` and `createdAt`: the
  /// plan's identity, recorded on the target once applied.
  public var digest: String

  public init(
    executable: ExecutablePlan, invocations: [Invocation], project: Project, fleet: SavedFleet? = nil,
    now: Date = Date()
  ) {
    format = Self.formatName
    version = Self.currentVersion
    let formatter = ISO8601DateFormatter()
    createdAt = formatter.string(from: now)
    self.invocations = invocations
    environment = executable.environment.name
    configFiles = project.sources.texts.keys.sorted().map { path in
      PlannedFile(path: path, sha256: SHA256.hex(of: Array(project.sources.texts[path]!.utf8)))
    }
    plan = executable.plan
    // Encoding a value the executor made cannot fail; a payload that did would be refused
    // by `apply` as unreadable, never run.
    prepared = executable.bindings.map {
      (try? PreparedPayload($0))
        ?? PreparedPayload(
          step: $0.step.number, executor: $0.action.key, value: .null, plannerDetails: [])
    }
    self.fleet = fleet
    digest = ""
    digest = identity()
  }

  /// The digest over everything but the time it was made.
  public func identity() -> String {
    var copy = self
    copy.digest = ""
    copy.createdAt = ""
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return SHA256.hex(of: Array((try? encoder.encode(copy)) ?? Data()))
  }

  public func encoded() throws -> String {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
  }

  /// Decodes a saved plan, refusing another format or a version this cruddur cannot read.
  public static func decode(_ data: Data, path: String) throws -> SavedPlan {
    let saved: SavedPlan
    do {
      let decoder = JSONDecoder()
      decoder.keyDecodingStrategy = .convertFromSnakeCase
      saved = try decoder.decode(SavedPlan.self, from: data)
    } catch {
      // Say what the file is instead: not JSON, JSON of another kind, or a plan of another
      // format or version whose fields this cruddur cannot read.
      guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw ConfigError(.unreadablePlan(path: path, found: "it is not a JSON object"))
      }
      let format = object["format"] as? String
      let version = object["version"] as? Int
      if format == formatName, let version, version < currentVersion {
        throw RunError(.savedPlanFromOlderCruddur(path: path, version: version))
      }
      if let format, format != formatName || version != currentVersion {
        throw ConfigError(
          .otherPlanFormat(
            path: path, found: format, expected: formatName, version: version ?? 0, supported: currentVersion))
      }
      guard format != nil else {
        throw ConfigError(.unreadablePlan(path: path, found: "it is JSON without a `format` field"))
      }
      throw ConfigError(
        .unreadablePlan(
          path: path, found: "it says format `\(formatName)` version \(currentVersion) but its fields do not match it"))
    }
    guard saved.format == formatName else {
      throw ConfigError(
        .otherPlanFormat(
          path: path, found: saved.format, expected: formatName, version: saved.version, supported: currentVersion))
    }
    if saved.version < currentVersion {
      throw RunError(.savedPlanFromOlderCruddur(path: path, version: saved.version))
    }
    guard saved.version == currentVersion else {
      throw ConfigError(.unsupportedPlanVersion(path: path, version: saved.version, supported: currentVersion))
    }
    guard saved.digest == saved.identity() else {
      throw RunError(.savedPlanEdited(path: path))
    }
    // The document must be the bytes cruddur wrote: a field added by hand would be
    // decoded away and pass the digest above, and a reformatted file would get another
    // identity on the target (`sha256(of:)`), escaping "applied once".
    let written = Data(try saved.encoded().utf8)
    guard written == data else {
      throw RunError(.savedPlanNotAsWritten(path: path, field: Self.unknownField(in: data, comparedWith: written)))
    }
    return saved
  }

  /// The plan's identity on a target: the SHA-256 of the document's bytes as written.
  public static func sha256(of data: Data) -> String { SHA256.hex(of: [UInt8](data)) }

  /// The JSON path of the first key `data` has and `written` has not (`plan.steps[0].note`).
  static func unknownField(in data: Data, comparedWith written: Data) -> String? {
    guard let given = try? JSONSerialization.jsonObject(with: data),
      let known = try? JSONSerialization.jsonObject(with: written)
    else { return nil }
    func walk(_ given: Any, _ known: Any, _ path: String) -> String? {
      if let given = given as? [String: Any], let known = known as? [String: Any] {
        for key in given.keys.sorted() {
          let here = path.isEmpty ? key : path + "." + key
          guard let inner = known[key] else { return here }
          if let found = walk(given[key]!, inner, here) { return found }
        }
      } else if let given = given as? [Any], let known = known as? [Any] {
        for (index, (a, b)) in zip(given, known).enumerated() {
          if let found = walk(a, b, "\(path)[\(index)]") { return found }
        }
      }
      return nil
    }
    return walk(given, known, "")
  }

  /// The saved steps' `Prepared` values, read by the executors of `current` (the plan
  /// made now from the same tasks), by step number: a step of another task or executor
  /// now is left out (`differences` names it). A payload that does not read as its
  /// executor's, field for field, or whose files are not the ones its step shows, was
  /// edited: refused, naming the step and why.
  public func preparedActions(for current: ExecutablePlan, path: String) throws -> [Int:
    PreparedAction]
  {
    guard prepared.map(\.step) == plan.steps.map(\.number) else {
      throw RunError(.savedPlanEdited(path: path))
    }
    let now = Dictionary(
      current.bindings.map { ($0.step.number, $0) }, uniquingKeysWith: { a, _ in a })
    var actions: [Int: PreparedAction] = [:]
    for (payload, step) in zip(prepared, plan.steps) {
      guard payload.executor == step.executor else {
        throw RunError(
          .savedPlanStepUnreadable(
            path: path, step: step.number, task: step.task,
            reason:
              "its prepared value is of a `\(payload.executor)` step; the plan shows a `\(step.executor)` step"
          ))
      }
      guard let binding = now[step.number], binding.step.task == step.task,
        binding.action.key == step.executor
      else {
        continue
      }
      let action = try payload.decoded(as: binding.action, task: step.task, path: path)
      let pinned = action.description.files
      if pinned != step.description.files {
        throw RunError(
          .savedPlanStepUnreadable(
            path: path, step: step.number, task: step.task,
            reason:
              "its prepared value pins \(Self.shown(pinned)); the plan shows \(Self.shown(step.description.files))"
          ))
      }
      actions[step.number] = action
    }
    return actions
  }

  private static func shown(_ files: [PlannedFile]) -> String {
    files.isEmpty
      ? "no file"
      : files.map { "\($0.path) (sha256 \($0.sha256.prefix(12))…)" }.joined(separator: ", ")
  }

  /// What differs between this saved plan and the plan made now from the same tasks, one
  /// line per difference; empty when `apply` may run it. `saved` are this plan's steps read
  /// by today's executors (`preparedActions`), `current` the plan made now: a step differs
  /// when its `Prepared` value does (compared as a value), or what the planner or the
  /// target added to it. A step whose files moved is named by its files.
  public func differences(from current: SavedPlan, saved: [Int: PreparedAction], now: ExecutablePlan)
    -> [String]
  {
    var lines: [String] = []
    if environment != current.environment { lines.append("environment: \(environment) → \(current.environment)") }
    if plan.target != current.plan.target { lines.append("target: \(plan.target) → \(current.plan.target)") }
    lines += Self.fileChanges("config file", configFiles, current.configFiles)
    let before = Dictionary(plan.steps.map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })
    let after = Dictionary(
      current.plan.steps.map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })
    let actions = Dictionary(
      now.bindings.map { ($0.step.number, $0.action) }, uniquingKeysWith: { a, _ in a })
    let plannerDetails = (
      Dictionary(prepared.map { ($0.step, $0.plannerDetails) }, uniquingKeysWith: { a, _ in a }),
      Dictionary(
        current.prepared.map { ($0.step, $0.plannerDetails) }, uniquingKeysWith: { a, _ in a })
    )
    lines += Self.fileChanges(
      "file", plan.steps.flatMap(\.description.files), current.plan.steps.flatMap(\.description.files))
    if plan.steps.map(\.task) != current.plan.steps.map(\.task) {
      lines.append(
        "steps: \(plan.steps.map(\.task).joined(separator: ", ")) → \(current.plan.steps.map(\.task).joined(separator: ", "))")
    } else {
      for number in before.keys.sorted() {
        guard let old = before[number], let new = after[number] else { continue }
        if let was = old.description.targetState, let now = new.description.targetState, was != now {
          lines.append(
            "step \(number) (\(old.task)): the target moved since the plan: it recorded \(Self.list(was)), now \(Self.list(now))")
          continue
        }
        let samePrepared =
          saved[number].flatMap { mine in actions[number].map { mine.hasSamePrepared(as: $0) } }
          ?? false
        let filesMoved = old.description.files != new.description.files
        let changed =
          old.executor != new.executor || old.after != new.after
          || plannerDetails.0[number] != plannerDetails.1[number]
          || old.description.isDestructive != new.description.isDestructive
          || old.description.destructiveStatements != new.description.destructiveStatements
          || old.description.effectUnknown != new.description.effectUnknown
          || (!samePrepared && !filesMoved)
        if changed {
          // The saved value's own summary: an edited value says what it would do.
          lines.append(
            "step \(number) (\(old.task)) changed: \(saved[number]?.description.summary ?? old.description.summary) → \(new.description.summary)"
          )
        }
      }
    }
    if plan.consentSteps != current.plan.consentSteps {
      lines.append("steps needing consent: \(plan.consentSteps) → \(current.plan.consentSteps)")
    }
    return lines
  }

  /// The steps whose saved `Prepared` value (`saved`, read by `preparedActions`) is not,
  /// as a value of its executor's type, the one made now (`now`), one line each: the two
  /// summaries, or the first field that differs when they read alike. A step `saved` does
  /// not hold was named already (`fleetDifferences`: another task or executor now).
  public func preparedChanges(saved: [Int: PreparedAction], now: ExecutablePlan) -> [String] {
    var lines: [String] = []
    for binding in now.bindings {
      guard let mine = saved[binding.step.number], !mine.hasSamePrepared(as: binding.action) else {
        continue
      }
      lines.append(
        Self.changeLine(
          binding.step.number, binding.step.task, was: mine, now: binding.action,
          summaries: (mine.description.summary, binding.action.description.summary)))
    }
    return lines
  }

  /// "step 2 (db:migrate) changed: WAS → NOW" by the summaries, or by the first field of the
  /// two values that differs when the summaries read alike.
  private static func changeLine(
    _ number: Int, _ task: String, was: PreparedAction?, now: PreparedAction?,
    summaries: (String, String)
  ) -> String {
    let name = "step \(number) (\(task)) changed"
    guard summaries.0 == summaries.1, let was, let now else {
      return "\(name): \(summaries.0) → \(summaries.1)"
    }
    guard
      let old = try? JSONTree(json: was.encodedPrepared()),
      let new = try? JSONTree(json: now.encodedPrepared()),
      let field = old.firstDifference(from: new)
    else {
      return "\(name): \(summaries.0) → \(summaries.1)"
    }
    return "\(name): its prepared `\(PreparedPayload.asWritten(field))` is not the one made now"
  }

  /// A fleet plan's differences that concern every target alike: the environment, the
  /// config files, the files the steps read, the steps. What one target reads is compared
  /// per target (`SavedFleet.drift`).
  public func fleetDifferences(from current: SavedPlan) -> [String] {
    var lines: [String] = []
    if environment != current.environment { lines.append("environment: \(environment) → \(current.environment)") }
    lines += Self.fileChanges("config file", configFiles, current.configFiles)
    lines += Self.fileChanges(
      "file", plan.steps.flatMap(\.description.files), current.plan.steps.flatMap(\.description.files))
    let (before, after) = (plan.steps.map { "\($0.task) (\($0.executor))" }, current.plan.steps.map { "\($0.task) (\($0.executor))" })
    if before != after {
      lines.append("steps: \(before.joined(separator: ", ")) → \(after.joined(separator: ", "))")
    }
    return lines
  }

  private static func list(_ items: [String]) -> String {
    items.isEmpty ? "nothing" : items.joined(separator: ", ")
  }

  static func fileChanges(_ what: String, _ old: [PlannedFile], _ new: [PlannedFile]) -> [String] {
    let before = Dictionary(old.map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a })
    let after = Dictionary(new.map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a })
    var lines: [String] = []
    for path in Set(before.keys).union(after.keys).sorted() {
      switch (before[path], after[path]) {
      case (let a?, let b?) where a != b: lines.append("\(what) \(path) changed (sha256 \(a.prefix(12))… → \(b.prefix(12))…)")
      case (nil, _?): lines.append("\(what) \(path) is new")
      case (_?, nil): lines.append("\(what) \(path) is no longer read")
      default: break
      }
    }
    return lines
  }
}

