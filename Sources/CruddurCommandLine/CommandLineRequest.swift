/// What a command line asks for: a command to run, a help page, the version, or a shell's
/// completion script or answer.
public enum CommandLineRequest: Sendable, Equatable {
  case command(ParsedCommandLine)
  /// `command` nil: the program's page. `task`: `cruddur help TASK`, `cruddur TASK --help`;
  /// `options` holds what was read around it (`-f`, `-e`).
  case help(command: String?, task: String?, isExplicit: Bool, options: ParsedCommandLine)
  case version
  case completionScript(shell: String)
  case complete(shell: String, words: [String])
}
