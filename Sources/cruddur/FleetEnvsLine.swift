import CruddurCore
import CruddurPostgres

/// A fleet's line in `cruddur envs`: its kind (where its targets come from, every URL
/// masked), and with `--check` how many targets it has now (read from the servers).
enum FleetEnvsLine {
  static func line(
    _ spec: EnvironmentSpec, project: Project, flags: [String], check: Bool, global: GlobalOptions
  ) async
    -> String
  {
    var text = "\(spec.name)\t\(spec.fleet?.kindName ?? "fleet")"
    if case .pattern(let servers, _)? = spec.fleet?.source {
      text +=
        " ("
        + servers.map { masked($0, spec: spec, project: project, global: global) }.joined(
          separator: ", ") + ")"
    }
    if check {
      do {
        let targets = try await FleetTargets.read(
          spec, project: project, overrides: [:], processEnvironment: global.processEnvironment,
          shard: nil
        ).targets
        let servers = Set(targets.map(\.server)).count
        text +=
          ": \(targets.count) target\(targets.count == 1 ? "" : "s") on \(servers) server\(servers == 1 ? "" : "s")"
      } catch {
        let message = (error as? any CruddurError)?.diagnostics.first?.message ?? "\(error)"
        text += ": (unresolved: \(Redaction.redact(message)))"
      }
    }
    return text + (flags.isEmpty ? "" : "\t" + flags.joined(separator: ", ")) + "\n"
  }

  private static func masked(
    _ template: Template, spec: EnvironmentSpec, project: Project, global: GlobalOptions
  )
    -> String
  {
    let resolver = EnvironmentResolver(project: project)
    var single = spec
    single.fleet = nil
    single.url = template
    do throws(ConfigError) {
      let scope = try resolver.scope(
        for: spec, overrides: [:], processEnvironment: global.processEnvironment)
      return try resolver.resolve(single, in: scope).url.description
    } catch {
      return "(unresolved)"
    }
  }
}
