import CruddurCommandLine

/// A command built from a parsed command line; its `run` is the command, and returns the
/// status `main` exits with (what went wrong with something to show is thrown, for main's
/// funnel, `CommandEnding`). No command ends the process itself.
protocol CruddurCommand {
  init(_ parsed: ParsedCommandLine) throws
  func run() async throws -> CommandStatus
}

/// From a command's name to the code that runs it (the grammar, `Grammar.cruddur`, lists
/// the names and their options).
enum CommandDispatch {
  static func command(_ parsed: ParsedCommandLine) throws -> any CruddurCommand {
    switch parsed.command {
    case "plan": try PlanCommand(parsed)
    case "apply": try ApplyCommand(parsed)
    case "list": try ListCommand(parsed)
    case "validate": try ValidateCommand(parsed)
    case "envs": try EnvsCommand(parsed)
    case "local": try LocalCommand(parsed)
    case "graph": try GraphCommand(parsed)
    case "init": try InitCommand(parsed)
    case "new": try NewCommand(parsed)
    case "connect": try ConnectCommand(parsed)
    case "runs": try RunsCommand(parsed)
    case "stamp": try StampCommand(parsed)
    default: try RunCommand(parsed)
    }
  }
}
