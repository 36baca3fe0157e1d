import CruddurCommandLine
import CruddurCore
import CruddurOutput

struct ValidateCommand: CruddurCommand {
  var global: GlobalOptions
  var quiet: Bool

  init(_ parsed: ParsedCommandLine) throws {
    global = GlobalOptions(parsed)
    quiet = parsed.flag("quiet")
  }

  func run() throws -> CommandStatus {
    let (project, loadDiagnostics) = try global.loadProjectCollecting()
    var diagnostics = loadDiagnostics
    // Every task's graph, so a cycle anywhere is found even if nobody runs it today.
    let roots = project.taskOrder.compactMap { project.tasks[$0].map { TaskReference(name: $0.name, location: $0.location) } }
    do throws(ConfigError) {
      _ = try TaskGraph(roots: roots, tasks: project.tasks, reportUnknown: false)
    } catch {
      diagnostics += error.diagnostics
    }
    // A URL written out in full is read now, as every run on it would read it; one made
    // of variables can only be read with them, when a plan or run has them.
    let resolver = EnvironmentResolver(project: project)
    for environment in project.environments where environment.url?.variableNames.isEmpty == true {
      do throws(ConfigError) {
        _ = try resolver.resolve(environment, in: Scope())
      } catch {
        diagnostics += error.diagnostics
      }
    }
    // What each step reads (its SQL file, a migrations folder), for every task, planned or
    // not; a file read by several tasks is reported once, not once per task.
    var seen: Set<String> = []
    for name in project.taskOrder {
      guard let action = project.tasks[name]?.action else { continue }
      for diagnostic in action.bound.check(projectRoot: project.root)
      where seen.insert(Self.identity(of: diagnostic)).inserted {
        diagnostics.append(diagnostic)
      }
    }
    // Warnings alone do not fail validation; with an error they are shown in their place.
    let warnings = diagnostics.filter { $0.severity == .warning }
    let warningCount = diagnostics.count == warnings.count ? warnings.count : 0
    if diagnostics.count == warnings.count, !warnings.isEmpty {
      Cruddur.report(warnings, sources: project.sources)
      diagnostics = []
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
        "\(project.configPath): \(project.taskOrder.count) tasks, \(project.environments.count) environments, "
          + (warningCount == 0 ? "no problems" : "no errors, \(warningCount) warning\(warningCount == 1 ? "" : "s")") + "\n")
    }
    return .ok
  }

  /// What makes two diagnostics the same report: the words and the place.
  static func identity(of diagnostic: Diagnostic) -> String {
    let place = diagnostic.location.map { "\($0.path):\($0.line):\($0.column)" } ?? ""
    return "\(diagnostic.message)\u{0}\(place)"
  }
}
