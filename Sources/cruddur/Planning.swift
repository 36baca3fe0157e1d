import CruddurCore
import CruddurOutput

/// What `run`, `run --dry-run` and `plan` share, so the three cannot drift: the words after
/// the options grouped into invocations, the plan made from them, and how a plan prints.
enum Planning {
  static func plan(
    words: [String], project: Project, environment: ResolvedEnvironment, scope: Scope, requiresValues: Bool
  ) throws -> ExecutablePlan {
    do throws(ConfigError) {
      let invocations = try InvocationParser.parse(words, tasks: project.tasks, order: project.taskOrder)
      return try Planner(project: project, registry: BuiltinExecutors.registry).plan(
        invocations, environment: environment, scope: scope, requiresValues: requiresValues)
    } catch {
      throw ProjectConfigError(project: project, diagnostics: error.diagnostics)
    }
  }

  enum Format { case text, json }

  static func print(_ plan: Plan, as format: Format, terminal: Terminal) throws {
    switch format {
    case .text: OutputStream.standardOutput.write(PlanRenderer.text(plan, terminal: terminal))
    case .json: OutputStream.standardOutput.write(try PlanRenderer.json(plan))
    }
  }
}
