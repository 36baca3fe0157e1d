import CruddurCommandLine
import CruddurCore
import CruddurOutput
import CruddurPostgres
import CruddurProcess
import Foundation

struct LocalCommand: CruddurCommand {
  enum Action: String, CaseIterable { case start, stop, status, reset }

  var global: GlobalOptions
  var environmentOptions: EnvironmentOptions
  var action: Action
  var yes: Bool

  init(_ parsed: ParsedCommandLine) throws {
    global = GlobalOptions(parsed)
    environmentOptions = EnvironmentOptions(parsed)
    // The grammar has checked the word against the same four values.
    action = Action(rawValue: parsed.words[0]) ?? .status
    yes = parsed.flag("yes")
  }

  func run() async throws -> CommandStatus {
    let project = try global.loadProject()
    let (environment, _) = try environmentOptions.resolve(project, global: global)
    guard environment.isEmbedded else {
      throw ConfigError(.notEmbedded(environment: environment.name))
    }
    let info = try ConnInfo(parsing: environment.url)
    let cluster = LocalCluster(projectRoot: project.root, info: info)
    let out = OutputStream.standardOutput
    func report(_ outcome: LocalCluster.StartOutcome) -> String {
      let action: ServerReport.Action
      var pid: Int?
      switch outcome {
      case .created: action = .created
      case .started: action = .started
      case .alreadyRunning(let running):
        action = .running
        pid = running
      }
      return ServerReport(
        environment: environment.name, action: action, address: "127.0.0.1:\(cluster.port)",
        dataDirectory: ".cruddur/data", pid: pid
      ).sentence
    }
    switch action {
    case .start:
      out.write(report(try Self.stoppable { try cluster.start(stop: $0) }) + "\n")
    case .stop:
      let stopped = try cluster.stop()
      out.write(stopped.map { "stopped the embedded server (pid \($0))\n" } ?? "the embedded server was not running\n")
    case .reset:
      try confirmReset()
      out.write(report(try Self.stoppable { try cluster.reset(stop: $0) }) + "\n")
    case .status:
      let (text, status) = Self.status(cluster, answers: LocalCluster.ping(info))
      out.write(text)
      return CommandStatus(rawValue: status)
    }
    return .ok
  }

  /// Runs a server start that INT, TERM and HUP stop: initdb ends (TERM, then KILL after
  /// the grace) and leaves no data folder, and the command ends interrupted (130, thrown
  /// as `CommandInterrupted` to main). Without this their default action ended cruddur
  /// alone and initdb ran on, orphaned.
  static func stoppable<T>(_ body: (ProcessStop) throws -> T) throws -> T {
    let stop = ProcessStop(gracePeriod: StopGrace.current)
    let window = SignalWindow.open { _ in stop.stop() }
    defer { window.close() }
    do {
      return try body(stop)
    } catch is CancellationError {
      // Only the window's signal stops it; initdb has ended and said so.
      window.close()
      throw CommandInterrupted()
    }
  }

  /// `local status` as text, and its exit status: 0 running, 3 stopped, 4 not created (so a
  /// script can tell them apart without reading the text).
  static func status(_ cluster: LocalCluster, answers: Bool) -> (String, Int32) {
    let data = ".cruddur/data"
    switch cluster.status() {
    case .notCreated:
      return (
        """
        embedded server: not created (the first run that needs it creates it, or `cruddur local start`)
          port:    \(cluster.port)
          data:    \(data) (absent)

        """, 4
      )
    case .stopped:
      return (
        """
        embedded server: stopped
          port:    \(cluster.port)
          data:    \(data)
          version: \(cluster.version ?? "?")

        """, 3
      )
    case .running(let pid):
      return (
        """
        embedded server: running, \(answers ? "accepting connections" : "not answering")
          port:    \(cluster.port) (127.0.0.1, socket .cruddur/run)
          data:    \(data)
          version: \(cluster.version ?? "?")
          pid:     \(pid)

        """, 0
      )
    case .orphaned(let pid):
      return (
        """
        embedded server: running, but its .cruddur/ was removed (`cruddur local stop` stops it)
          port:    \(cluster.port)
          data:    \(data) (removed)
          pid:     \(pid)

        """, 0
      )
    }
  }

  private func confirmReset() throws {
    guard !yes else { return }
    guard TerminalPrompt.isAvailable else {
      throw RunError(.resetNeedsConsent)
    }
    let answer = try TerminalPrompt.ask(
      "This stops the embedded server and deletes .cruddur/ with every database in it.\nType `reset` to continue: ")
    guard answer == "reset" else {
      throw RunError(.resetNotConfirmed)
    }
  }
}
