import CruddurCommandLine
import CruddurCore
import CruddurOutput
import CruddurPostgres
import CruddurProcess
import Foundation

struct ConnectCommand: CruddurCommand {
  var global: GlobalOptions
  var output: OutputOptions
  var environmentOptions: EnvironmentOptions
  /// Everything after connect's own options (and after `--`) is psql's, `--help` too.
  var psqlArguments: [String]

  init(_ parsed: ParsedCommandLine) throws {
    global = GlobalOptions(parsed)
    output = OutputOptions(parsed)
    environmentOptions = EnvironmentOptions(parsed)
    psqlArguments = parsed.passedThrough
  }

  func run() async throws -> CommandStatus {
    let project = try global.loadProject()
    let (environment, _) = try environmentOptions.resolve(project, global: global)
    // Like a run, connecting to an embedded environment starts its server if it is down.
    let info = try ConnInfo(parsing: environment.url)
    let server = try LocalCluster.ensureRunning(info, environment: environment, projectRoot: project.root)
    if let server, server.action == .created || server.action == .started, !output.quiet {
      OutputStream.standardError.write(server.sentence + "\n")
    }
    // A server that is down or refuses the login is a failure to connect (exit 1), said
    // as a run says it, not psql's exit 2.
    let filled = try await ConnectionCheck.verify(info, environment: environment)
    var processEnvironment = global.processEnvironment
    processEnvironment["CRUDDUR_ENV"] = environment.name
    // psql replaces this process, so nobody is left to remove a file when it ends: it
    // inherits the file open and its name is gone before it starts.
    let passwordFile = try filled.password.map { try TemporaryPasswordFile(inheritedBy: $0) }
    let process = PsqlExecutor.process(
      for: filled, passwordFile: passwordFile,
      arguments: psqlArguments.first == "--" ? Array(psqlArguments.dropFirst()) : psqlArguments,
      environment: processEnvironment)
    if output.verbose {
      OutputStream.standardError.write("+ psql \(process.arguments.joined(separator: " "))\n")
    }
    // psql takes over this process: the terminal, signals and the exit status are its own.
    try process.exec()
  }
}
