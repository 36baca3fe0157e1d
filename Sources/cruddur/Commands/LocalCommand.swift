import ArgumentParser
import CruddurCore
import CruddurOutput
import CruddurPostgres

struct LocalCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "local", abstract: "Manage the embedded local Postgres under .cruddur/.",
    discussion: "Example:\n  cruddur local status\n  cruddur local stop")

  enum Action: String, ExpressibleByArgument, CaseIterable { case start, stop, status }

  @OptionGroup var global: GlobalOptions
  @OptionGroup var environmentOptions: EnvironmentOptions
  @Argument(help: "start, stop or status.") var action: Action

  func run() async throws {
    let project = try global.loadProject()
    let (environment, _) = try environmentOptions.resolve(project, global: global)
    guard environment.isEmbedded else {
      throw ConfigError(
        .error("environment `\(environment.name)` is not `embedded: true`", help: "pick one with `-e NAME`"))
    }
    let info = try ConnInfo(parsing: environment.url)
    let cluster = LocalCluster(projectRoot: project.root, info: info)
    let out = OutputStream.standardOutput
    switch action {
    case .start:
      try cluster.start()
      out.write("embedded server running on 127.0.0.1:\(cluster.port) (data in .cruddur/data)\n")
    case .stop:
      try cluster.stop()
      out.write("embedded server stopped\n")
    case .status:
      switch cluster.status() {
      case .notCreated: out.write("embedded server: not created (it starts on first use)\n")
      case .stopped: out.write("embedded server: stopped (data in .cruddur/data)\n")
      case .running(let pid):
        let answers = LocalCluster.ping(info)
        out.write(
          "embedded server: running, pid \(pid), 127.0.0.1:\(cluster.port), socket .cruddur/run, "
            + (answers ? "accepting connections" : "not answering") + "\n")
      }
    }
  }
}
