import ArgumentParser
import CruddurCore
import CruddurOutput
import Foundation

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
  @Option(
    name: [.short, .customLong("file")], help: "The config file (default: cruddur.yml here or in a parent).",
    completion: .file())
  var file: String?

  @Flag(name: .customLong("no-color"), help: "No colour (also when NO_COLOR is set or output is not a terminal).")
  var noColor = false

  var processEnvironment: [String: String] { ProcessEnvironment.values }

  /// The same options as plain values, which the fast path builds without argument-parser.
  var project: ProjectOptions { ProjectOptions(file: file, noColor: noColor) }

  var stdoutTerminal: Terminal { project.stdoutTerminal }
  var stderrTerminal: Terminal { project.stderrTerminal }

  /// Finds and loads the project; config errors are thrown with the sources to show them.
  func loadProject() throws -> Project { try project.loadProject() }

  /// Loads the project and returns every problem found instead of throwing them.
  func loadProjectCollecting() throws -> (Project, [Diagnostic]) {
    try project.loadProjectCollecting()
  }
}

/// `-v` and `-q`, only on the commands whose output they change (run, apply, connect):
/// offered on `list` or `plan` they would be words that do nothing.
struct OutputOptions: ParsableArguments {
  @Flag(name: .shortAndLong, help: "Print more: statements and commands as they start.")
  var verbose = false

  @Flag(name: .shortAndLong, help: "Print only errors, the summary, query rows and a failing step's output.")
  var quiet = false
}

/// Options of commands that act on an environment.
struct EnvironmentOptions: ParsableArguments {
  @Option(
    name: [.short, .customLong("env")], help: "The environment (default: $CRUDDUR_ENV, then the default one).",
    completion: ProjectCompletion.custom(.environments))
  var environment: String?

  @Option(
    name: .customLong("set"), help: ArgumentHelp("Set a variable (highest precedence).", valueName: "name=value"),
    completion: ProjectCompletion.custom(.variables))
  var assignments: [String] = []

  func overrides() throws -> [String: String] {
    var values: [String: String] = [:]
    for assignment in assignments {
      guard let eq = assignment.firstIndex(of: "="), eq != assignment.startIndex else {
        throw ConfigError(.invalidAssignment(assignment))
      }
      values[String(assignment[..<eq])] = String(assignment[assignment.index(after: eq)...])
    }
    return values
  }

  /// The selected environment, rendered, and the variable scope.
  func resolve(_ project: Project, global: GlobalOptions) throws -> (ResolvedEnvironment, Scope) {
    let overrides = try overrides()
    do throws(ConfigError) {
      try checkRead(overrides.keys, project: project)
      let resolver = EnvironmentResolver(project: project, passwordProvider: Credentials.provider(global))
      let spec = try resolver.select(explicit: environment, processEnvironment: global.processEnvironment)
      let scope = try resolver.scope(for: spec, overrides: overrides, processEnvironment: global.processEnvironment)
      return (try resolver.resolve(spec, in: scope), scope)
    } catch {
      throw ProjectConfigError(project: project, diagnostics: error.diagnostics)
    }
  }
}

extension EnvironmentOptions {
  /// `--set STPE=2` would otherwise be silently unused (and one migration rolled back, not
  /// two): a name that no task, variable or executor reads is an error. Only where a plugin
  /// is given every variable can cruddur not tell, and there a likely typo is a warning.
  func checkRead(_ names: some Collection<String>, project: Project) throws(ConfigError) {
    let known = ProjectVariables.names(in: project)
    let unread = names.sorted().filter { !known.contains($0) }
    guard !unread.isEmpty else { return }
    if ProjectVariables.mayReadAny(in: project) {
      let warnings = unread.compactMap { name in
        Suggestion.closest(to: name, in: known).map { suggestion in
          ConfigErrorKind.unusedSetVariable(name: name, suggestion: suggestion).diagnostic()
        }
      }
      if !warnings.isEmpty { Cruddur.report(warnings, sources: project.sources) }
      return
    }
    throw ConfigError(
      unread.map { name in
        ConfigErrorKind.unreadSetVariable(name: name, suggestion: Suggestion.closest(to: name, in: known)).diagnostic()
      })
  }
}

/// A config error that carries the project's sources so the funnel can show source lines.
struct ProjectConfigError: CruddurError {
  var project: Project
  var diagnostics: [Diagnostic]
  var exitStatus: ExitStatus { .configError }
}

/// The process environment, read once: Foundation builds a new dictionary on every read.
enum ProcessEnvironment {
  static let values = ProcessInfo.processInfo.environment
}
