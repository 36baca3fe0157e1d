/// The options `FastPath` and `FastRun` both read, spelled exactly as `GlobalOptions` and
/// `EnvironmentOptions` declare them, so the two fast readers cannot drift apart on them.
/// Every property starts set: argument-parser traps on one left unset.
struct FastOptions {
  var global: GlobalOptions
  var output: OutputOptions
  var environment: EnvironmentOptions

  init() {
    global = GlobalOptions()
    global.file = nil
    global.noColor = false
    output = OutputOptions()
    output.verbose = false
    output.quiet = false
    environment = EnvironmentOptions()
    environment.environment = nil
    environment.assignments = []
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
    _ argument: String, from rest: inout ArraySlice<String>, output takesOutput: Bool, environments: Bool
  ) -> Outcome {
    switch argument {
    case "-f", "--file":
      guard let value = rest.popFirst() else { return .decline }
      global.file = value
    case "--no-color": global.noColor = true
    case "-q" where takesOutput, "--quiet" where takesOutput: output.quiet = true
    case "-v" where takesOutput, "--verbose" where takesOutput: output.verbose = true
    case "-e" where environments, "--env" where environments:
      guard let value = rest.popFirst() else { return .decline }
      environment.environment = value
    case "--set" where environments:
      guard let value = rest.popFirst() else { return .decline }
      environment.assignments.append(value)
    default:
      return .other
    }
    return .read
  }
}
