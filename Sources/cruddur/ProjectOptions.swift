import CruddurCore
import CruddurOutput
import Foundation

/// `-f` and `--no-color` as plain values, and what they decide: which project is read and
/// whether output is coloured. `list` builds this alone (`GlobalOptions.project`).
struct ProjectOptions {
  var file: String?
  var noColor: Bool

  var stdoutTerminal: Terminal {
    Terminal(fileDescriptor: 1, noColorFlag: noColor, environment: Self.terminalEnvironment)
  }
  var stderrTerminal: Terminal {
    Terminal(fileDescriptor: 2, noColorFlag: noColor, environment: Self.terminalEnvironment)
  }

  /// The two variables `Terminal` reads, with getenv: Foundation's whole process
  /// environment costs a `list` 0.4 M instructions it has no other use for.
  static var terminalEnvironment: [String: String] {
    var values: [String: String] = [:]
    for name in ["NO_COLOR", "TERM"] {
      if let value = getenv(name) { values[name] = String(cString: value) }
    }
    return values
  }

  /// Finds and loads the project; config errors are thrown with the sources to show them.
  func loadProject() throws -> Project {
    let (project, diagnostics) = try loadProjectCollecting()
    if !diagnostics.isEmpty { throw ProjectConfigError(project: project, diagnostics: diagnostics) }
    return project
  }

  /// Loads the project and returns every problem found instead of throwing them.
  func loadProjectCollecting() throws -> (Project, [Diagnostic]) {
    let cwd = FileManager.default.currentDirectoryPath
    let configPath: String
    if let file {
      configPath = SourceLoader.resolve(file, relativeTo: cwd)
      guard SourceLoader.exists(configPath) else {
        throw ConfigError(.configFileMissing(path: file))
      }
    } else {
      guard let found = SourceLoader.findConfig(from: cwd) else {
        throw ConfigError(.noConfigFound(directory: cwd))
      }
      configPath = found
    }
    var decoder = ProjectDecoder(registry: BuiltinExecutors.registry)
    decoder.keepTree = { KeptUntilExit.keep($0) }
    let loaded = decoder.load(configPath: configPath)
    KeptUntilExit.keep(loaded.0)
    return loaded
  }
}
