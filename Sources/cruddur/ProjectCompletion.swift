import CruddurCommandLine
import CruddurCore
import Foundation

/// The project's side of shell completion: the grammar (`CompletionEngine`) decides what
/// is offered where, this reads the tasks, environments and variable names it offers.
enum ProjectCompletion {
  static func answer(shell: String, words: [String]) -> String {
    CompletionEngine(grammar: Cruddur.grammar).answer(shell: shell, words: words) { file in
      load(file).map { project in
        ProjectFacts(
          tasks: project.taskOrder.map { ($0, project.tasks[$0]?.description ?? "") },
          environments: project.environments.map(\.name),
          variables: ProjectVariables.names(in: project).sorted())
      }
    }
  }

  /// The project the command line points at (`-f FILE`, else cruddur.yml here or above),
  /// loaded without checks beyond decoding; nothing at all if it cannot be read.
  private static func load(_ file: String?) -> Project? {
    let cwd = FileManager.default.currentDirectoryPath
    let path = file.map { SourceLoader.resolve($0, relativeTo: cwd) } ?? SourceLoader.findConfig(from: cwd)
    guard let path, SourceLoader.exists(path) else { return nil }
    return ProjectDecoder(registry: BuiltinExecutors.registry).load(configPath: path).0
  }
}
