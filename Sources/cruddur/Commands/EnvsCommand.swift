import CruddurCommandLine
import CruddurCore
import CruddurOutput
import CruddurPostgres

struct EnvsCommand: CruddurCommand {
  var global: GlobalOptions
  var check: Bool

  init(_ parsed: ParsedCommandLine) throws {
    global = GlobalOptions(parsed)
    check = parsed.flag("check")
  }

  func run() async throws -> CommandStatus {
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
      var stamp = ""
      var passwordFailed = false
      do throws(ConfigError) {
        let scope = try resolver.scope(for: spec, overrides: [:], processEnvironment: global.processEnvironment)
        let resolved = try resolver.resolve(spec, in: scope)
        url = resolved.url.description
        if let source = resolved.password {
          password = "\tpassword: \(source)"
          if check {
            let problem = await Credentials.check(resolved)
            password += problem == nil ? " (fetched)" : " (failed)"
            if let problem {
              failures += problem
              passwordFailed = true
            }
          }
        }
        if check { stamp = "\tstamp: " + (await Self.stamp(of: resolved, passwordFailed: passwordFailed)) }
      } catch {
        url = "(unresolved: \(error.diagnostics.first?.message ?? "missing variable"))"
      }
      out += "\(spec.name)\t\(url)\(flags.isEmpty ? "" : "\t" + flags.joined(separator: ", "))\(stamp)\(password)\n"
    }
    OutputStream.standardOutput.write(out)
    if !failures.isEmpty { throw ProjectConfigError(project: project, diagnostics: failures) }
    return .ok
  }

  /// Whose database the environment's is, read from its server; what stopped the read
  /// otherwise (shown, like a fleet's unresolved count; a password source that failed is
  /// already this command's error). An embedded server is not started for it: not running,
  /// its stamp is not read.
  private static func stamp(of environment: ResolvedEnvironment, passwordFailed: Bool) async -> String {
    if passwordFailed { return "not read (no password)" }
    do {
      return try await StampState.describe(environment)
    } catch {
      let message = (error as? any CruddurError)?.diagnostics.first?.message ?? "\(error)"
      return "not read (\(Redaction.redact(message)))"
    }
  }
}
