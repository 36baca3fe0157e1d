import CruddurCore
import Foundation

/// `list`, `validate` and `plan` are what people (and editors, and shell prompts) call most,
/// and argument-parser's reflection costs more than the command itself there: about a third
/// of the start-up time, measured with perf. For plain invocations of those three commands
/// the options are read here and the very same command structs run; anything else
/// (help, completions, an unknown or unusual flag) goes through argument-parser as usual.
enum FastPath {
  static func command(for arguments: [String]) -> (any FastCommand)? {
    guard getenv("CRUDDUR_NO_FAST_PATH") == nil,
      let name = arguments.first, ["list", "validate", "plan"].contains(name)
    else { return nil }
    var options = FastOptions()
    var format: String?
    var quiet = false
    var positional: [String] = []
    var rest = arguments.dropFirst()[...]
    while let argument = rest.popFirst() {
      switch options.read(argument, from: &rest, output: false, environments: name == "plan") {
      case .read: continue
      case .decline: return nil
      case .other: break
      }
      func value() -> String? { rest.popFirst() }
      switch argument {
      case "-q" where name == "validate", "--quiet" where name == "validate":
        quiet = true
      case "--format":
        guard let v = value() else { return nil }
        format = v
      default:
        guard !argument.hasPrefix("-") else { return nil }
        positional.append(argument)
      }
    }
    switch name {
    case "list":
      guard positional.isEmpty, let parsed = ListCommand.Format(rawValue: format ?? "text") else {
        return nil
      }
      return FastList(options: options.project, format: parsed)
    case "validate":
      guard positional.isEmpty, format == nil else { return nil }
      var command = ValidateCommand()
      command.global = options.global
      command.quiet = quiet
      return command
    default:
      guard !positional.isEmpty, let parsed = PlanCommand.Format(rawValue: format ?? "text") else { return nil }
      var command = PlanCommand()
      command.global = options.global
      command.environmentOptions = options.environment
      command.format = parsed
      command.out = nil
      command.check = false
      command.tasks = positional
      return command
    }
  }
}

/// The commands the fast path can run (list and validate synchronously).
protocol FastCommand {
  func run() async throws
}

/// `list` without a `ListCommand`: building one initialises argument-parser's property
/// wrappers, the largest share of a fast `list`'s own start-up.
struct FastList: FastCommand {
  var options: ProjectOptions
  var format: ListCommand.Format

  func run() async throws { try ListCommand.list(options, format: format) }
}

extension ValidateCommand: FastCommand {}
extension PlanCommand: FastCommand {}
