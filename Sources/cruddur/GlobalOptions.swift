import CruddurCommandLine
import CruddurCore
import CruddurOutput
import Foundation

/// Options every command takes (`-f`, `--no-color`; their help is in `Grammar.cruddur`).
struct GlobalOptions {
  var file: String?
  var noColor = false

  init() {}

  init(_ parsed: ParsedCommandLine) {
    file = parsed.value("file")
    noColor = parsed.flag("no-color")
  }

  var processEnvironment: [String: String] { ProcessEnvironment.values }

  /// The same options as plain values.
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
struct OutputOptions {
  var verbose = false
  var quiet = false

  init() {}

  init(_ parsed: ParsedCommandLine) {
    verbose = parsed.flag("verbose")
    quiet = parsed.flag("quiet")
  }
}

/// Options of commands that act on an environment.
struct EnvironmentOptions {
  var environment: String?
  var assignments: [String] = []

  init() {}

  init(_ parsed: ParsedCommandLine) {
    environment = parsed.value("env")
    assignments = parsed.all("set")
  }

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
  static let values = read(environ)

  /// `environ` as Foundation's `ProcessInfo.environment` reads it: each entry split at its
  /// first "=", a later entry of a name replacing an earlier one, entries without "="
  /// skipped. An ASCII entry is split at its first "=" byte, which is its first "="
  /// Character: Foundation's Character search cost every plan and run 0.45 M instructions.
  static func read(
    _ entries: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
  ) -> [String: String] {
    var values: [String: String] = [:]
    guard var entry = entries else { return values }
    while let pointer = entry.pointee {
      let text = String(cString: pointer)
      let equals: String.Index?
      if text.utf8.allSatisfy({ $0 < 0x80 }) {
        equals = text.utf8.firstIndex(of: UInt8(ascii: "="))
      } else {
        equals = text.firstIndex(of: "=")
      }
      if let equals {
        values[String(text[..<equals])] = String(text[text.index(after: equals)...])
      }
      entry += 1
    }
    return values
  }
}
