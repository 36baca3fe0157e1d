/// The options `FastPath` and `FastRun` both read, spelled exactly as `GlobalOptions` and
/// `EnvironmentOptions` declare them, so the two fast readers cannot drift apart on them.
/// Held as plain values: argument-parser's option structs are built only for a command
/// that needs them (`list` needs none, see `ProjectOptions`). Every property of those
/// structs is set: argument-parser traps on one left unset.
struct FastOptions {
  var file: String?
  var noColor = false
  var verbose = false
  var quiet = false
  var environmentName: String?
  var assignments: [String] = []

  var project: ProjectOptions { ProjectOptions(file: file, noColor: noColor) }

  var global: GlobalOptions {
    var global = GlobalOptions()
    global.file = file
    global.noColor = noColor
    return global
  }

  var output: OutputOptions {
    var output = OutputOptions()
    output.verbose = verbose
    output.quiet = quiet
    return output
  }

  var environment: EnvironmentOptions {
    var environment = EnvironmentOptions()
    environment.environment = environmentName
    environment.assignments = assignments
    return environment
  }

  enum Outcome {
    /// The argument (and its value) was one of these options.
    case read
    /// Not one of these options: the caller reads it.
    case other
    /// One of these options, but unusable here (a missing value): argument-parser decides.
    case decline
  }

  /// `output` and `environments` say whether the command at hand takes `-v`/`-q` and `-e`/`--set`.
  mutating func read(
    _ argument: String, from rest: inout ArraySlice<String>, output takesOutput: Bool,
    environments: Bool
  ) -> Outcome {
    switch argument {
    case "-f", "--file":
      guard let value = rest.popFirst() else { return .decline }
      file = value
    case "--no-color": noColor = true
    case "-q" where takesOutput, "--quiet" where takesOutput: quiet = true
    case "-v" where takesOutput, "--verbose" where takesOutput: verbose = true
    case "-e" where environments, "--env" where environments:
      guard let value = rest.popFirst() else { return .decline }
      environmentName = value
    case "--set" where environments:
      guard let value = rest.popFirst() else { return .decline }
      assignments.append(value)
    default:
      return .other
    }
    return .read
  }
}
