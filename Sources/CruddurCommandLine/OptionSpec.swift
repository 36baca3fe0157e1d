/// One row of the option table: how an option is spelled, whether it takes a value, what
/// its help says, which commands take it and what the shells complete after it. The same
/// spelling may have several rows when commands describe it differently (`--format`), but
/// never two rows for one command (`OptionTableTests`).
public struct OptionSpec: Sendable {
  /// What a shell offers for the option's value.
  public enum Completion: Sendable, Equatable {
    case none
    case files
    /// The values of `values`.
    case values
    case environments
    case variables
  }

  /// The name without dashes (`format`); for an option with no long spelling (`-j`), its
  /// short name. Parsed values are found under it.
  public var name: String
  public var long: String?
  public var short: Character?
  /// nil for a flag.
  public var valueName: String?
  public var help: String
  public var commands: [String]
  public var completion: Completion
  /// May be given more than once (`--set`); any other option given twice is an error.
  public var repeats: Bool
  /// The values accepted, when they are a fixed list (`text`, `json`).
  public var values: [String]
  public var defaultValue: String?
  /// The value must be a whole number (`-j 4`).
  public var isInteger: Bool
  /// The help section it is listed under, apart from OPTIONS (`Fleet options`).
  public var group: String?

  public init(
    long: String?, short: Character? = nil, value valueName: String? = nil, help: String,
    commands: [String],
    completion: Completion = .none, repeats: Bool = false, values: [String] = [],
    defaultValue: String? = nil,
    isInteger: Bool = false, group: String? = nil
  ) {
    self.name = long ?? short.map(String.init) ?? ""
    self.long = long
    self.short = short
    self.valueName = valueName
    self.help = help
    self.commands = commands
    self.completion = values.isEmpty ? completion : .values
    self.repeats = repeats
    self.values = values
    self.defaultValue = defaultValue
    self.isInteger = isInteger
    self.group = group
  }

  public var takesValue: Bool { valueName != nil }

  /// Every way it is typed: `-f`, `--file`.
  public var spellings: [String] {
    (short.map { ["-\($0)"] } ?? []) + (long.map { ["--\($0)"] } ?? [])
  }

  /// `--file <file>` or `-j <N>`: the preferred spelling with its value, as usage shows it.
  public var synopsis: String {
    let spelling = long.map { "--\($0)" } ?? short.map { "-\($0)" } ?? ""
    return valueName.map { "\(spelling) <\($0)>" } ?? spelling
  }

  /// How one spelling is shown with its value in a message: `-j <N>`, `--format <format>`.
  func shown(as spelling: String) -> String {
    valueName.map { "\(spelling) <\($0)>" } ?? spelling
  }
}
