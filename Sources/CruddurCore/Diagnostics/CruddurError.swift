/// An error that knows how it ends the process and how to explain itself.
public protocol CruddurError: Error, Sendable {
  var exitStatus: ExitStatus { get }
  var diagnostics: [Diagnostic] { get }
}

/// The configuration could not be read, decoded or validated; every problem found is kept.
public struct ConfigError: CruddurError {
  public var diagnostics: [Diagnostic]
  public var exitStatus: ExitStatus { .configError }
  public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
  public init(_ diagnostic: Diagnostic) { self.diagnostics = [diagnostic] }
}

/// A step or the run itself failed.
public struct RunError: CruddurError {
  public var diagnostics: [Diagnostic]
  public var exitStatus: ExitStatus
  public init(_ diagnostics: [Diagnostic], exitStatus: ExitStatus = .stepFailed) {
    self.diagnostics = diagnostics
    self.exitStatus = exitStatus
  }
  public init(_ message: String, exitStatus: ExitStatus = .stepFailed, help: String? = nil) {
    self.init([.error(message, help: help)], exitStatus: exitStatus)
  }
}
