import CruddurCore
import CruddurOutput
import CruddurProcess
import Foundation

/// What `run`, `run --dry-run` and `plan` share, so the three cannot drift: the words after
/// the options grouped into invocations, the plan made from them, and how a plan prints.
enum Planning {
  /// A plan with plugin steps runs their `describe`; a signal meanwhile stops those
  /// processes and ends the command as interrupted (throws `CommandInterrupted`).
  /// `detailed: false` for a run that shows no plan (see `PlanContext.detailed`).
  static func plan(
    words: [String], project: Project, environment: ResolvedEnvironment, scope: Scope, requiresValues: Bool,
    detailed: Bool = true
  ) throws -> ExecutablePlan {
    try planWithInvocations(
      words: words, project: project, environment: environment, scope: scope, requiresValues: requiresValues,
      detailed: detailed
    ).plan
  }

  static func planWithInvocations(
    words: [String], project: Project, environment: ResolvedEnvironment, scope: Scope, requiresValues: Bool,
    detailed: Bool = true
  ) throws -> (plan: ExecutablePlan, invocations: [Invocation]) {
    let resources = RunResources()
    let window: SignalWindow? =
      project.plugins.isEmpty && !project.tasks.values.contains(where: { $0.action?.key == "uses" })
      ? nil
      : SignalWindow.open { _ in ProcessGroups.shared(in: resources).signalAll(SIGKILL) }
    defer { window?.close() }
    let plan: ExecutablePlan
    let invocations: [Invocation]
    do throws(ConfigError) {
      invocations = try InvocationParser.parse(
        words, tasks: project.tasks, order: project.taskOrder, environments: project.environments.map(\.name))
      plan = try Planner(project: project, registry: BuiltinExecutors.registry, resources: resources).plan(
        invocations, environment: environment, scope: scope, requiresValues: requiresValues, detailed: detailed)
    } catch {
      if window?.close() != nil { throw CommandInterrupted() }
      throw ProjectConfigError(project: project, diagnostics: error.diagnostics)
    }
    if window?.close() != nil { throw CommandInterrupted() }
    return (plan, invocations)
  }

  enum Format { case text, json }

  static func print(_ plan: Plan, as format: Format, terminal: Terminal) throws {
    switch format {
    case .text: OutputStream.standardOutput.write(PlanRenderer.text(plan, terminal: terminal))
    case .json: OutputStream.standardOutput.write(try PlanRenderer.json(plan))
    }
  }
}
