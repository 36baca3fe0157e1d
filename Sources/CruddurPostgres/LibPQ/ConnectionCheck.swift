import CruddurCore

/// One connection made and closed, to learn whether an environment can be reached before
/// handing the terminal to a program that would report it its own way (psql exits 2 for
/// a refused connection, which cruddur reserves for usage and config errors).
public enum ConnectionCheck {
  /// Throws the `ConnectionError` (exit 1) a run would report; returns the options that
  /// connected, with the password of the environment's `password:` source when it has one.
  @discardableResult
  public static func verify(_ info: ConnInfo, environment: ResolvedEnvironment) async throws -> ConnInfo {
    var filled = try await info.fillingPassword(for: environment)
    do {
      let connection = try await Connection.connect(filled, applicationName: "cruddur connect check")
      await connection.close()
    } catch let error as ConnectionError where environment.password != nil && error.isAuthenticationFailure {
      filled = try await info.fillingPassword(for: environment, afterRefusal: true)
      let connection = try await Connection.connect(filled, applicationName: "cruddur connect check")
      await connection.close()
    }
    return filled
  }
}
