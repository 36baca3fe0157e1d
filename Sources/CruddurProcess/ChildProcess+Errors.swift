import CruddurCore

#if canImport(Glibc)
  import Glibc
#endif

extension ChildProcess {
  public struct SpawnError: CruddurError {
    public var command: String
    public var code: Int32
    public var exitStatus: ExitStatus { .stepFailed }
    public var diagnostics: [Diagnostic] {
      [.error("cannot start `\(command)`: \(String(cString: strerror(code)))")]
    }
  }

  /// A child given a deadline was still running at it; its process group was killed.
  public struct DeadlineError: CruddurError {
    public var command: String
    public var seconds: Double
    public var exitStatus: ExitStatus { .stepFailed }
    public var diagnostics: [Diagnostic] {
      [.error("`\(command)` did not answer within \(SecondsText.shown(seconds)) s; it was stopped")]
    }
  }
}
