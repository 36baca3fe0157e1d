/// A command's word that is not an option: a task, a file, an action.
public struct PositionalSpec: Sendable {
  public enum Completion: Sendable, Equatable {
    case none
    case tasks
    case files
    /// Files with this extension (`json`), and folders to reach them.
    case filesEnding(String)
    case values
  }

  /// As usage and help show it: `task [params...]`, `file`.
  public var valueName: String
  public var help: String
  /// Takes every remaining word (`<task> ...`).
  public var repeats: Bool
  public var optional: Bool
  public var values: [String]
  public var completion: Completion

  public init(
    _ valueName: String, help: String, repeats: Bool = false, optional: Bool = false,
    values: [String] = [],
    completion: Completion = .none
  ) {
    self.valueName = valueName
    self.help = help
    self.repeats = repeats
    self.optional = optional
    self.values = values
    self.completion = values.isEmpty ? completion : .values
  }

  /// `<task> ...`, `[<tasks> ...]`, `<file>`.
  var synopsis: String {
    let word = "<\(valueName)>" + (repeats ? " ..." : "")
    return optional ? "[\(word)]" : word
  }
}
