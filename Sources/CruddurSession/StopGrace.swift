import CruddurCore
import Foundation

/// How long a stopped shell step's process group has between SIGTERM and SIGKILL: 3 s, or
/// `CRUDDUR_STOP_GRACE` seconds (a program that needs longer to shut down cleanly; the
/// second Ctrl-C still ends the run at once, whatever the grace).
public struct StopGrace {
  public static let variable = "CRUDDUR_STOP_GRACE"
  public static let standard: Duration = .seconds(3)

  /// The grace the environment asks for; a value that is not a number of seconds from 0 to
  /// 86400 is an error, never the default in silence.
  public static func parse(_ text: String?) -> Result<Duration, StopGraceError> {
    guard let text, !text.isEmpty else { return .success(standard) }
    guard let seconds = Double(text), seconds.isFinite, (0...86_400).contains(seconds) else {
      return .failure(StopGraceError(value: text))
    }
    return .success(.milliseconds(Int64((seconds * 1000).rounded())))
  }

  /// The grace from this process's environment, checked: the CLI's `main` calls this before
  /// any command, so the registry never sees a bad value. (`getenv`, not ProcessInfo's
  /// dictionary of the whole environment: `list` must start fast.)
  public static func checked() throws -> Duration { try parse(getenv(variable).map { String(cString: $0) }).get() }

  /// The grace for the executors; the standard one when the variable is bad (main has
  /// refused to run by then).
  public static var current: Duration { (try? checked()) ?? standard }
}

/// `CRUDDUR_STOP_GRACE` holds something other than a number of seconds.
public struct StopGraceError: CruddurError {
  public var value: String
  public var exitStatus: ExitStatus { .configError }
  public var diagnostics: [Diagnostic] {
    [.error("\(StopGrace.variable)=\(value) is not a number of seconds from 0 to 86400 (e.g. 3 or 0.5)")]
  }
}
