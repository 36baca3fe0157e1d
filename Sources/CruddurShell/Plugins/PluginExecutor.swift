import CruddurCore
import CruddurProcess
import Foundation
import Synchronization

/// `uses: NAME` with `with: {...}`: an external executor. The plugin is an executable
/// that reads one JSON request on stdin (`describe` or `run`) and answers with a JSON
/// line on stdout; anything else it prints is shown as the step's output. See
/// `docs/plugins.md` for the protocol.
public struct PluginExecutor: Executor {
  public struct Spec: StepSpec {
    var name: String
    var path: String
    var with: JSONValue
  }

  /// `describe` runs while a plan is made, before anything is shown: a plugin that never
  /// answers must not hang `plan`.
  public let describeDeadline: Duration

  public init(describeDeadline: Duration = .seconds(10)) { self.describeDeadline = describeDeadline }
  public var actionKey: String { "uses" }
  /// A plugin is given every variable (not the process environment) and may read any.
  public func variablesRead(_ spec: Spec) -> Set<String>? { nil }
  public var mayWriteFiles: Bool { true }
  public var taskKeys: Set<String> { ["with"] }

  public func decode(_ input: ActionInput, diagnostics: inout [Diagnostic]) -> Spec? {
    guard let name = input.value.string, !input.value.isNull else {
      diagnostics.append(
        ConfigErrorKind.invalidValue(what: "`uses`", requirement: "name a plugin", found: input.value.kindName, suggestion: nil)
          .diagnostic(at: input.value.spanLocation))
      return nil
    }
    var with = JSONValue.object([])
    if let node = input.task["with"] {
      guard case .mapping = node else {
        diagnostics.append(
          ConfigErrorKind.wrongType(what: "`with`", expected: .mapping, found: node.kindName).diagnostic(at: node.spanLocation))
        return nil
      }
      with = JSONValue(node)
    }
    guard let path = PluginDiscovery.locate(name, declared: input.plugins) else {
      diagnostics.append(
        PluginErrorKind.unknownPlugin(name: name, suggestion: Suggestion.closest(to: name, in: input.plugins.keys))
          .diagnostic(at: input.value.spanLocation))
      return nil
    }
    return Spec(name: name, path: path, with: with)
  }

  /// The plugin's answer to `describe`, and whether the plan asks about the step.
  public struct Prepared: Codable, Sendable, Hashable {
    var plugin: String
    var summary: String?
    var details: [String]?
    var destructive: Bool?
    /// On a protected environment, neither the plugin nor the task says.
    var effectUnknown: Bool
  }

  public func prepare(_ spec: Spec, in context: PlanContext) throws -> Prepared {
    let request = request(
      "describe", spec: spec, name: context.task.name, task: context.task, environment: context.environment, scope: context.scope,
      url: context.environment.url.withoutPassword)
    let output: ChildProcess.Output
    do {
      output = try ChildProcess(
      executable: spec.path, arguments: [], environment: Self.childEnvironment(), workingDirectory: context.projectRoot
      ).runCollectingOutput(
        stdin: request, deadline: describeDeadline, groups: ProcessGroups.shared(in: context.resources))
    } catch let error as ChildProcess.DeadlineError {
      throw RunError(.pluginDescribeTimedOut(plugin: spec.name, seconds: error.seconds))
    }
    guard output.status == 0, let answer: PluginDescription = Self.lastJSON(in: output.text) else {
      throw RunError(.pluginDescribeFailed(plugin: spec.name, status: output.status, outputTail: Self.tail(output.text)))
    }
    if let error = answer.error {
      throw RunError(.pluginRefused(plugin: spec.name, reason: error))
    }
    // A plugin that does not say, on a task that does not say, may do anything.
    return Prepared(
      plugin: spec.name, summary: answer.summary, details: answer.details,
      destructive: answer.destructive,
      effectUnknown: context.environment.isProtected && answer.destructive == nil
        && context.task.declaresDestructive == nil)
  }

  public func describe(_ prepared: Prepared) -> StepDescription {
    var description = StepDescription(
      target: nil, summary: "\(prepared.plugin): \(prepared.summary ?? "run")",
      details: prepared.details ?? [],
      isDestructive: prepared.destructive ?? false)
    if prepared.effectUnknown {
      let reason =
        "plugin \(prepared.plugin) does not say whether it is destructive (its describe answers no `destructive`)"
      description.effectUnknown = reason
      description.details.append("unknown: \(reason)")
    }
    return description
  }

  public func run(_ prepared: Prepared, spec: Spec, step: PlannedStep, in context: StepContext)
    async throws
  {
    let request = request(
      "run", spec: spec, name: step.task, task: context.task, environment: context.environment, scope: context.scope,
      url: context.environment.url.secretValue)
    let collected = StdoutCollector()
    let events = context.events
    let process = ChildProcess(
      executable: spec.path, arguments: [], environment: Self.childEnvironment(), workingDirectory: context.projectRoot)
    let termination = try await process.run(
      groups: ProcessGroups.shared(in: context.resources), stdin: request
    ) { line, stream in
      if stream == .stdout, line.hasPrefix("{") {
        collected.append(line)
      } else {
        events.emit(.stepOutput(step: step, line: line, stream: stream == .stderr ? .stderr : .stdout))
      }
    }
    // No timer here: `timeout:` is the step's one deadline, which cancels this task and
    // so stops the group.
    if termination.endedLeftovers > 0 {
      events.emit(.stepOutput(step: step, line: ShellExecutor.leftoversNotice(termination.endedLeftovers), stream: .stderr))
    }
    let result: PluginResult? = Self.lastJSON(in: collected.lines.joined(separator: "\n"))
    if termination.status != 0 || result?.ok != true {
      throw RunError(.pluginFailed(plugin: spec.name, error: result?.error, status: termination.status))
    }
    if let note = result?.note { events.emit(.stepOutput(step: step, line: note, stream: .stdout)) }
  }

  /// `url` is the environment's URL with its password for `run` only: `describe` must
  /// have no side effects, and cannot connect without it.
  private func request(
    _ kind: String, spec: Spec, name: String, task: TaskDefinition, environment: ResolvedEnvironment, scope: Scope, url: String
  ) -> Data {
    let body = PluginRequest(
      request: kind, task: name, with: spec.with,
      environment: .init(
        name: environment.name, url: url, isProtected: environment.isProtected,
        isEmbedded: environment.isEmbedded),
      // Never the process environment, and no masked value the task does not pass.
      variables: ChildVariables.values(of: scope, for: task, includingProcessEnvironment: false))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return ((try? encoder.encode(body)) ?? Data("{}".utf8)) + Data("\n".utf8)
  }

  /// Plugins get a plain environment: PATH and HOME, not our secrets.
  static func childEnvironment() -> [String: String] {
    let env = ProcessInfo.processInfo.environment
    return ["PATH": env["PATH"] ?? "/usr/bin:/bin", "HOME": env["HOME"] ?? "/", "LANG": env["LANG"] ?? "C.UTF-8"]
  }

  static func lastJSON<T: Decodable>(in text: String) -> T? {
    for line in text.split(separator: "\n").reversed() where line.hasPrefix("{") {
      if let value = try? JSONDecoder().decode(T.self, from: Data(line.utf8)) { return value }
    }
    return nil
  }

  static func tail(_ text: String) -> String? {
    let lines = text.split(separator: "\n").suffix(3).joined(separator: "\n")
    return lines.isEmpty ? nil : Redaction.redact(lines)
  }
}

/// Stdout lines that look like JSON, kept to find the plugin's answer.
final class StdoutCollector: Sendable {
  private let storage = Mutex<[String]>([])
  func append(_ line: String) { storage.withLock { $0.append(line) } }
  var lines: [String] { storage.withLock { $0 } }
}
