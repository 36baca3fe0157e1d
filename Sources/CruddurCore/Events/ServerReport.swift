/// Which server an `embedded: true` environment's run uses, and whether cruddur just made
/// or started it: a server that appears (or answers) silently is a server nobody knows
/// to stop, or to suspect when the credentials are wrong.
public struct ServerReport: Sendable, Hashable {
  public enum Action: String, Sendable, Hashable {
    /// `initdb` made the cluster, then it was started.
    case created
    case started
    /// The project's embedded server was already running.
    case running
    /// Something else answered at the URL: not this project's embedded server.
    case foreign
  }

  public var environment: String
  public var action: Action
  /// `127.0.0.1:5432`.
  public var address: String
  /// Relative to the project root: `.cruddur/data`.
  public var dataDirectory: String
  public var pid: Int?

  public init(environment: String, action: Action, address: String, dataDirectory: String, pid: Int? = nil) {
    self.environment = environment
    self.action = action
    self.address = address
    self.dataDirectory = dataDirectory
    self.pid = pid
  }

  /// One line for people: "started the embedded server at 127.0.0.1:5432 (data in .cruddur/data)".
  public var sentence: String {
    switch action {
    case .created: "created and started the embedded server at \(address) (data in \(dataDirectory))"
    case .started: "started the embedded server at \(address) (data in \(dataDirectory))"
    case .running:
      "using the embedded server at \(address) (\(pid.map { "pid \($0), " } ?? "")data in \(dataDirectory))"
    case .foreign:
      "using the server already answering at \(address)\(pid.map { " (pid \($0))" } ?? ""), not the embedded one"
    }
  }
}
