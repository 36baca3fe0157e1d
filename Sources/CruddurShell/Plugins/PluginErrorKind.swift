import CruddurCore

/// Why a plugin step (`uses:`) could not be planned or run: one case per reason, with the
/// values its message needs. The words and exit status of each are decided here, in the
/// module that runs plugins, not in Core.
public enum PluginErrorKind: ErrorKind, Hashable {
  /// No plugin of that name is declared or on PATH (found while decoding the project).
  case unknownPlugin(name: String, suggestion: String?)
  case pluginDescribeTimedOut(plugin: String, seconds: Double)
  case pluginDescribeFailed(plugin: String, status: Int32, outputTail: String?)
  case pluginRefused(plugin: String, reason: String)
  /// `error` is what the plugin said; without it, its exit status is shown.
  case pluginFailed(plugin: String, error: String?, status: Int32)

  public var exitStatus: ExitStatus {
    switch self {
    case .pluginFailed: .stepFailed
    case .unknownPlugin, .pluginDescribeTimedOut, .pluginDescribeFailed, .pluginRefused:
      .configError
    }
  }

  /// The kind in words at `location`. The diagnostic keeps its kind wherever it goes, so
  /// `--format json` names the reason, not the error type that carried it.
  public func diagnostic(at location: SourceLocation?) -> Diagnostic {
    var diagnostic = words(at: location)
    diagnostic.errorKind = self
    return diagnostic
  }

  private func words(at location: SourceLocation?) -> Diagnostic {
    switch self {
    case .unknownPlugin(let name, let suggestion):
      return .error(
        "no plugin `\(name)`", at: location, label: suggestion.map { "did you mean `\($0)`?" },
        help: "declare it under `plugins:` or put `cruddur-plugin-\(name)` on PATH")
    case .pluginDescribeTimedOut(let plugin, let seconds):
      return .error(
        "plugin `\(plugin)` did not answer `describe` within \(SecondsText.shown(seconds)) s; it was stopped",
        at: location,
        help: "a plugin answers `describe` with one JSON line on stdout, without side effects")
    case .pluginDescribeFailed(let plugin, let status, let outputTail):
      return .error(
        "plugin `\(plugin)` could not describe the step (exit \(status))", at: location,
        help: outputTail)
    case .pluginRefused(let plugin, let reason):
      return .error("plugin `\(plugin)`: \(reason)", at: location)
    case .pluginFailed(let plugin, let error, let status):
      return .error("plugin `\(plugin)` failed: \(error ?? "exit \(status)")", at: location)
    }
  }
}

extension RunError {
  /// A plugin's reason (`RunError(.pluginFailed(...))`).
  public init(_ kind: PluginErrorKind) { self.init(kinds: [kind]) }
}
