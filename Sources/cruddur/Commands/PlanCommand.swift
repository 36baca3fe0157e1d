import Foundation
import CruddurCommandLine
import CruddurCore
import CruddurOutput

struct PlanCommand: CruddurCommand {
  enum Format: String, CaseIterable { case text, json }

  var global: GlobalOptions
  var environmentOptions: EnvironmentOptions
  var format: Format
  var out: String?
  var check: Bool
  var tasks: [String]

  init(_ parsed: ParsedCommandLine) throws {
    global = GlobalOptions(parsed)
    environmentOptions = EnvironmentOptions(parsed)
    format = Format(rawValue: parsed.value("format") ?? "text") ?? .text
    out = parsed.value("out")
    check = parsed.flag("check")
    tasks = parsed.words
  }

  func run() async throws -> CommandStatus {
    let project = try global.loadProject()
    if let spec = try FleetSelection.fleet(project, environmentOptions, FleetOptions.unset, global: global) {
      try await FleetPlan.print(
        spec, project: project, words: tasks, check: check, out: out, json: format == .json, global: global,
        environmentOptions: environmentOptions)
      return .ok
    }
    let (environment, scope) = try environmentOptions.resolve(project, global: global)
    var (executable, invocations) = try Planning.planWithInvocations(
      words: tasks, project: project, environment: environment, scope: scope, requiresValues: out != nil)
    // The plan must not replace what it was made from (its config, the files its steps
    // read); refused before the target is read or anything printed.
    let reads =
      (Array(project.sources.texts.keys) + executable.plan.steps.flatMap(\.description.files).map(\.path)).map {
        $0.hasPrefix("/") ? $0 : project.root + "/" + $0
      } + [project.configPath]
    if let out, let refusal = OutputFile.refusal(at: out, reads: reads) {
      throw RunError(.refusedOutput(path: out, reason: refusal.reason))
    }
    // A saved migrate plan must record what the target had applied, so `apply` can refuse
    // when someone migrated in between: --out reads it as --check does.
    if check || out != nil {
      executable = try await TargetInspection.inspect(executable, projectRoot: project.root)
    }
    try Planning.print(executable.plan, as: format == .json ? .json : .text, terminal: global.stdoutTerminal)
    if let out {
      let saved = SavedPlan(executable: executable, invocations: invocations, project: project)
      let text = try saved.encoded()
      try OutputFile.write(text, to: out, shownAs: out, reads: reads)
      // The file's own SHA-256: the plan's identity on the target once applied.
      OutputStream.standardError.write(
        "saved to \(out) (sha256 \(SavedPlan.sha256(of: Data(text.utf8)).prefix(12))…); run it with `cruddur apply \(out)`\n")
    }
    return .ok
  }
}
