import ArgumentParser
import CruddurCore
import CruddurOutput

struct EnvsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "envs", abstract: "List environments with their URLs (passwords masked).",
    discussion: "Example:\n  cruddur envs")

  @OptionGroup var global: GlobalOptions

  @Flag(help: "Fleets: connect and count each fleet's targets.")
  var check = false

  func run() async throws {
    let project = try global.loadProject()
    let resolver = EnvironmentResolver(project: project)
    var out = ""
    for spec in project.environments {
      var flags: [String] = []
      if spec.isDefault { flags.append("default") }
      if spec.isEmbedded { flags.append("embedded") }
      if spec.isProtected { flags.append("protected") }
      if spec.fleet != nil {
        out += await FleetEnvsLine.line(spec, project: project, flags: flags, check: check, global: global)
        continue
      }
      let url: String
      do throws(ConfigError) {
        let scope = try resolver.scope(for: spec, overrides: [:], processEnvironment: global.processEnvironment)
        url = try resolver.resolve(spec, in: scope).url.description
      } catch {
        url = "(unresolved: \(error.diagnostics.first?.message ?? "missing variable"))"
      }
      out += "\(spec.name)\t\(url)\(flags.isEmpty ? "" : "\t" + flags.joined(separator: ", "))\n"
    }
    OutputStream.standardOutput.write(out)
  }
}
