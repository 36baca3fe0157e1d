import CruddurCore

/// Did-you-mean for a first word that is neither a task nor a command: `cruddur lsit` is
/// more likely `list` than a task nobody declared.
enum CommandSuggestion {
  /// The command `word` looks like a typo of, when no task is a closer match.
  static func closest(to word: String, tasks: [String]) -> String? {
    guard let command = Suggestion.closest(to: word, in: TaskHelp.commandNames.filter { $0 != "help" }) else {
      return nil
    }
    if let task = TaskSuggestion.closest(to: word, in: tasks),
      Suggestion.distance(word, task) <= Suggestion.distance(word, command)
    {
      return nil
    }
    return command
  }

  static func error(_ word: String, command: String) -> ConfigError {
    ConfigError(.unknownCommandOrTask(word: word, suggestion: command))
  }
}
