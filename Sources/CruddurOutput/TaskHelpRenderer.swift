import CruddurCore

/// `cruddur help TASK`: what one task is, takes, runs and where it is declared, so nobody
/// has to open the YAML to use it.
public enum TaskHelpRenderer {
  /// The task as `help` shows it. `plan` is the task planned on `plannedOn` when that was
  /// possible without values the user has not given; without it the page lists the
  /// declared deps and steps only.
  public struct Page: Sendable {
    public var task: TaskOverview
    public var plan: Plan?
    /// Environments on which a run of the task asks for consent (or needs `--yes`).
    public var consentEnvironments: [String]
    /// Why the plan is missing, when it is ("`PROD_URL` is not set").
    public var planProblem: String?
    /// Variables the task needs that are not set here; the plan shows them as `<NAME>`.
    public var unsetVariables: [String] = []

    public init(task: TaskOverview, plan: Plan?, consentEnvironments: [String], planProblem: String? = nil) {
      self.task = task
      self.plan = plan
      self.consentEnvironments = consentEnvironments
      self.planProblem = planProblem
    }
  }

  public static func text(_ page: Page, terminal: Terminal) -> String {
    let task = page.task
    var out = terminal.paint(task.name, .bold)
    if let description = task.description { out += ": " + description }
    out += "\n"
    out += "declared at \(task.location)\n\n"
    out += "usage: cruddur \(([task.name] + task.params.map { "<\($0)>" }).joined(separator: " "))\n"
    if !task.params.isEmpty {
      out += "parameters:\n"
      let width = task.params.map(\.count).max() ?? 0
      for (index, name) in task.params.enumerated() {
        out += "  $\(index + 1) \(pad(name, width))  or --set \(name)=...\n"
      }
    }
    if let action = task.action { out += "executor: \(action)\n" }
    if !task.deps.isEmpty { out += "deps: \(task.deps.joined(separator: ", "))\n" }
    if !task.steps.isEmpty { out += "steps: \(task.steps.joined(separator: ", "))\n" }
    if let plan = page.plan {
      out += "\nruns, in order (planned on \(plan.environment)):\n"
      let width = plan.steps.map(\.task.count).max() ?? 0
      let executorWidth = plan.steps.map(\.executor.count).max() ?? 0
      for step in plan.steps {
        let flag = step.isDestructive ? "  " + terminal.paint("[destructive]", .yellow) : ""
        out += "  \(step.number). \(pad(step.task, width))  \(pad(step.executor, executorWidth))  "
          + "\(Redaction.redact(step.description.summary))\(flag)\n"
      }
      if plan.steps.isEmpty { out += "  nothing to do\n" }
    } else if let problem = page.planProblem {
      out += "\n(not planned: \(problem); `cruddur plan \(task.name)` shows the steps)\n"
    }
    if !page.unsetVariables.isEmpty {
      let names = page.unsetVariables.map { "`\($0)`" }.joined(separator: ", ")
      out += "\nnot set here: \(names) (shown as <NAME>); set in the environment or with `--set NAME=value` to run\n"
    }
    out += "\n"
    if page.consentEnvironments.isEmpty {
      out += "needs consent on: no environment\n"
    } else {
      out += "needs consent on: \(page.consentEnvironments.joined(separator: ", ")) (--yes, or type the name)\n"
    }
    return out
  }

  private static func pad(_ text: String, _ width: Int) -> String {
    text + String(repeating: " ", count: max(0, width - text.count))
  }
}
