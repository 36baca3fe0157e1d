import CruddurCore
import Foundation

/// `cruddur TASK...` read without argument-parser, for the same reason as `FastPath`: its
/// reflection (type metadata and protocol-conformance lookups over the whole static binary)
/// costs more than planning a one-query task, about a quarter of such a run's CPU measured
/// with perf. Only plain invocations are read here, options spelled exactly as `RunCommand`
/// declares them; anything else (help, `--opt=value`, combined short flags, `--`, a word
/// starting with `-`, values argument-parser would refuse) returns nil and goes through
/// argument-parser, which keeps its messages. Every property of `RunCommand` must be set
/// here (argument-parser traps on one left unset): `FastRunTests.everyDeclaredOption`
/// fails when an option is added to `RunCommand` and not to this reader.
enum FastRun {
  /// The other commands' names: a first word naming one is not a task.
  static let subcommands: Set<String> = [
    "run", "plan", "list", "validate", "envs", "local", "graph", "init", "connect", "help", "new", "apply", "runs",
    "stamp",
  ]

  static func command(for arguments: [String]) -> RunCommand? {
    guard getenv("CRUDDUR_NO_FAST_PATH") == nil else { return nil }
    var rest = arguments[...]
    if rest.first == "run" { rest = rest.dropFirst() }
    var options = FastOptions()
    var jobs: Int?
    var format = RunCommand.Format.text
    var yes = false
    var dryRun = false
    var wait = false
    var words: [String] = []
    while let argument = rest.popFirst() {
      switch options.read(argument, from: &rest, output: true, environments: true) {
      case .read: continue
      case .decline: return nil
      case .other: break
      }
      func value() -> String? { rest.popFirst() }
      switch argument {
      case "-j":
        guard let v = value(), let n = Int(v), n >= 1 else { return nil }
        jobs = n
      case "--format":
        guard let v = value(), let parsed = RunCommand.Format(rawValue: v) else { return nil }
        format = parsed
      case "-y", "--yes": yes = true
      case "-n", "--dry-run": dryRun = true
      case "--wait": wait = true
      default:
        guard !argument.hasPrefix("-") else { return nil }
        words.append(argument)
      }
    }
    guard let first = words.first, !subcommands.contains(first), !(dryRun && format == .csv) else { return nil }
    var command = RunCommand()
    command.global = options.global
    command.output = options.output
    command.environmentOptions = options.environment
    command.fleet = FleetOptions.unset
    command.jobs = jobs
    command.format = format
    command.yes = yes
    command.dryRun = dryRun
    command.wait = wait
    command.words = words
    return command
  }
}
