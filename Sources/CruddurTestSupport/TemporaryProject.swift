import Foundation

/// A project folder for one CLI test: `cruddur.yml`, `tasks/`, SQL files, written as given.
public struct TemporaryProject: Sendable {
  public let directory: TemporaryDirectory
  public var path: String { directory.path }

  public init(files: [String: String]) throws {
    directory = try TemporaryDirectory(prefix: "cruddur-project")
    for (name, contents) in files { try directory.write(name, contents) }
  }

  public func write(_ name: String, _ contents: String) throws { try directory.write(name, contents) }

  public func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> CruddurBinary.Result {
    try await CruddurBinary.run(arguments, in: path, environment: environment)
  }

  public func remove() { directory.remove() }
}
