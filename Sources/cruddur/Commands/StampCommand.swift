import CruddurCommandLine
import CruddurCore
import CruddurOutput
import CruddurPostgres
import Foundation

/// Says which environment a database belongs to, when its stamp no longer can (it was
/// restored, renamed or copied, and destructive steps on it are refused from every
/// environment). Guarded like a destructive step: `--yes`, or the environment's name typed
/// back on a terminal; who stamped it and when is recorded beside the stamp.
struct StampCommand: CruddurCommand {
  var global: GlobalOptions
  var environmentOptions: EnvironmentOptions
  var yes: Bool

  init(_ parsed: ParsedCommandLine) throws {
    global = GlobalOptions(parsed)
    environmentOptions = EnvironmentOptions(parsed)
    yes = parsed.flag("yes")
  }

  func run() async throws -> CommandStatus {
    let project = try global.loadProject()
    let (environment, _) = try environmentOptions.resolve(project, global: global)
    let notice = "stamping the database of \(environment.name) (\(environment.url)) as \(environment.name)'s"
    if !yes {
      guard TerminalPrompt.isAvailable else {
        throw RunError(.consentRequired(notice: notice, steps: [], environment: environment.name))
      }
      guard try TerminalPrompt.ask("\(notice).\nType '\(environment.name)' to continue: ") == environment.name else {
        throw RunError(.consentNotConfirmed(environment: environment.name))
      }
    }
    let before = try await Restamp.run(environment: environment, projectRoot: project.root)
    OutputStream.standardOutput.write("stamped the database of \(environment.name) as \(environment.name)'s; \(before)\n")
    return .ok
  }
}
