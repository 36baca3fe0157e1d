import CruddurCommandLine
import CruddurCore
import CruddurOutput
import Foundation

/// `cruddur help TASK`, `cruddur TASK --help` and `cruddur run TASK --help`: the parser
/// says which task (`CommandLineRequest.help`); a word that names no task shows run's help.
struct TaskHelp {
  var task: String
  var file: String?
  var environment: String?
  /// `help WORD` rather than `WORD --help`.
  var isExplicit: Bool

  /// The command names (and `help`): a word that is one of them is never a task here.
  static var commandNames: [String] { Grammar.cruddur.commandNames }

  /// For `TASK --help`, a word that names no task in a project that loads gets run's help;
  /// `help WORD` always answers here, with a suggestion for a typo.
  func run() throws -> Bool {
    var global = GlobalOptions()
    global.file = file
    global.noColor = CommandLine.arguments.contains("--no-color")
    let project: Project
    do {
      project = try global.loadProject()
    } catch {
      if isExplicit { throw error }
      return false
    }
    let overviews = TaskOverview.all(project, registry: BuiltinExecutors.registry)
    guard let overview = overviews[task] else {
      guard isExplicit else { return false }
      let suggestion =
        Suggestion.closest(to: task, in: Self.commandNames) ?? TaskSuggestion.closest(to: task, in: project.taskOrder)
      throw ConfigError(.noCommandOrTask(name: task, suggestion: suggestion))
    }
    var plan: Plan?
    var problem: String?
    var unsetNames: [String] = []
    do {
      var options = EnvironmentOptions()
      options.environment = environment
      options.assignments = []
      let (resolved, scope) = try options.resolve(project, global: global)
      let invocation = Invocation(task: task)
      // Help describes the task, whatever this shell has set: a variable it needs and
      // nobody set is planned as `<NAME>` (below every real source) and listed as missing,
      // so the steps are shown and the page says what to set before a run.
      var missing: [String] = []
      var placeholders = scope
      for _ in 0..<8 {
        do throws(ConfigError) {
          plan = try Planner(project: project, registry: BuiltinExecutors.registry).plan(
            [invocation], environment: resolved, scope: placeholders, requiresValues: false
          ).plan
          problem = nil
          break
        } catch {
          problem = error.diagnostics.first?.message
          let unset = error.diagnostics.flatMap { diagnostic -> [String] in
            switch diagnostic.kind {
            case .requiredVariablesUnset(_, let names): names
            case .variableNotSet(let name), .requiredVariableMissing(let name, _): [name]
            default: []
            }
          }.filter { !missing.contains($0) }
          guard !unset.isEmpty else { break }
          missing += unset
          placeholders = scope.inserting(.init(.dotenv, Dictionary(uniqueKeysWithValues: missing.map { ($0, "<\($0)>") })))
        }
      }
      if plan != nil, !missing.isEmpty {
        problem = nil
        unsetNames = missing
      }
    } catch let error as ProjectConfigError {
      problem = error.diagnostics.first?.message
    }
    let destructive = plan.map { $0.steps.contains(where: \.isDestructive) } ?? overview.isDestructive
    let consent = project.environments.filter { overview.isProtected || ($0.isProtected && destructive) }.map(\.name)
    var page = TaskHelpRenderer.Page(task: overview, plan: plan, consentEnvironments: consent, planProblem: problem)
    page.unsetVariables = unsetNames
    OutputStream.standardOutput.write(TaskHelpRenderer.text(page, terminal: global.stdoutTerminal))
    return true
  }
}
