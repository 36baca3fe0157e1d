import ArgumentParser
import CruddurCore
import CruddurOutput

struct EnvsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "envs", abstract: "List environments with their URLs (passwords masked).",
    discussion: "Example:\n  cruddur envs\n  cruddur envs --check     fetch each `password:` source, to prove access")

  @OptionGroup var global: GlobalOptions

  @Flag(help: "Connect and count each fleet's targets; fetch each `password:` source to prove access (nothing is shown).")
  var check = false

  func run() async throws {
    let project = try global.loadProject()
    let resolver = EnvironmentResolver(project: project, passwordProvider: Credentials.provider(global))
    var failures: [Diagnostic] = []
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
      var password = ""
      do throws(ConfigError) {
        let scope = try resolver.scope(for: spec, overrides: [:], processEnvironment: global.processEnvironment)
        let resolved = try resolver.resolve(spec, in: scope)
        url = resolved.url.description
        if let source = resolved.password {
          password = "\tpassword: \(source)"
          if check {
            let problem = await Credentials.check(resolved)
            password += problem == nil ? " (fetched)" : " (failed)"
            if let problem { failures += problem }
          }
        }
      } catch {
        url = "(unresolved: \(error.diagnostics.first?.message ?? "missing variable"))"
      }
      out += "\(spec.name)\t\(url)\(flags.isEmpty ? "" : "\t" + flags.joined(separator: ", "))\(password)\n"
    }
    OutputStream.standardOutput.write(out)
    if !failures.isEmpty { throw ProjectConfigError(project: project, diagnostics: failures) }
  }
}
