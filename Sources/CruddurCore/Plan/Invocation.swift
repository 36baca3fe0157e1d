/// One task named on the command line with the words bound to its `params`.
public struct Invocation: Sendable, Hashable, Codable {
  public var task: String
  public var arguments: [String]
  public init(task: String, arguments: [String] = []) {
    self.task = task
    self.arguments = arguments
  }
}

/// Groups the words after the options into invocations the way just's invocation parser
/// does: a word must name a task, which then takes up to as many following words as it
/// has `params`; whatever is left starts the next invocation. Nothing is ignored: a word
/// that is neither a task nor an expected parameter is an error with a suggestion.
public enum InvocationParser {
  /// `environments` are the project's environment names: the old scripts took one as an
  /// argument (`db-sessions prod`), so such a word is answered with `-e`.
  public static func parse(
    _ words: [String], tasks: [String: TaskDefinition], order: [String], environments: [String] = []
  ) throws(ConfigError) -> [Invocation] {
    var invocations: [Invocation] = []
    var rest = words[...]
    while let word = rest.popFirst() {
      guard let task = tasks[word] else {
        if environments.contains(word) {
          throw ConfigError(.environmentAsWord(word: word, after: invocations.last?.task), at: nil)
        }
        throw ConfigError(unknownTask(word, order: order, after: invocations.last))
      }
      let taken = rest.prefix(task.params.count)
      rest = rest.dropFirst(taken.count)
      let invocation = Invocation(task: word, arguments: Array(taken))
      if let earlier = invocations.first(where: { $0.task == word }) {
        guard earlier == invocation else {
          throw ConfigError(.taskNamedTwice(name: word))
        }
        continue
      }
      invocations.append(invocation)
    }
    return invocations
  }

  /// The error for a word that names no task; when it follows a task whose parameters are
  /// all taken, say so, since the word was most likely meant as one more.
  static func unknownTask(_ word: String, order: [String], after previous: Invocation?) -> Diagnostic {
    let suggestion = TaskSuggestion.closest(to: word, in: order)
    return ConfigErrorKind.unknownInvokedTask(name: word, suggestion: suggestion, after: suggestion == nil ? previous : nil)
      .diagnostic()
  }
}

/// Did-you-mean for task names: a typo of the whole name, or the name without its
/// namespace (`setup` for `db:setup`).
public enum TaskSuggestion {
  public static func closest(to word: String, in names: [String]) -> String? {
    if let typo = Suggestion.closest(to: word, in: names) { return typo }
    let byLastPart = names.filter { $0.split(separator: ":").last.map(String.init) == word }
    if byLastPart.count == 1 { return byLastPart[0] }
    let lastParts = Dictionary(grouping: names) { String($0.split(separator: ":").last ?? "") }
    if let part = Suggestion.closest(to: word, in: lastParts.keys), let only = lastParts[part], only.count == 1 {
      return only[0]
    }
    return nil
  }
}
