import ArgumentParser
import CruddurCore
import CruddurOutput

struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate", abstract: "Check cruddur.yml and every included file; report every problem.",
    discussion: """
      Every problem in every file, each with file:line:col, the line and a caret. Exit 2 if any.

      Example:
        cruddur validate
        cruddur validate -f other/cruddur.yml
      """)

  @OptionGroup var global: GlobalOptions

  @Flag(name: .shortAndLong, help: "Print nothing when there is no problem (problems still go to stderr).")
  var quiet = false

  func run() throws {
    let (project, loadDiagnostics) = try global.loadProjectCollecting()
    var diagnostics = loadDiagnostics
    // Every task's graph, so a cycle anywhere is found even if nobody runs it today.
    let roots = project.taskOrder.compactMap { project.tasks[$0].map { TaskReference(name: $0.name, location: $0.location) } }
    do throws(ConfigError) {
      _ = try TaskGraph(roots: roots, tasks: project.tasks, reportUnknown: false)
    } catch {
      diagnostics += error.diagnostics
    }
    // What each step reads (its SQL file...), for every task, planned or not.
    for name in project.taskOrder {
      guard let action = project.tasks[name]?.action else { continue }
      diagnostics += action.bound.check(projectRoot: project.root)
    }
    if !diagnostics.isEmpty {
      // Files in the order their first problem was found; within a file, by position.
      var rank: [String: Int] = [:]
      for diagnostic in diagnostics where rank[diagnostic.location?.path ?? ""] == nil {
        rank[diagnostic.location?.path ?? ""] = rank.count
      }
      let sorted = diagnostics.enumerated().sorted { a, b in
        let (l, r) = (a.element.location, b.element.location)
        return (rank[l?.path ?? ""] ?? 0, l?.line ?? 0, l?.column ?? 0, a.offset)
          < (rank[r?.path ?? ""] ?? 0, r?.line ?? 0, r?.column ?? 0, b.offset)
      }.map(\.element)
      throw ProjectConfigError(project: project, diagnostics: sorted)
    }
    if !quiet {
      OutputStream.standardOutput.write(
        "\(project.configPath): \(project.taskOrder.count) tasks, \(project.environments.count) environments, no problems\n")
    }
  }
}
