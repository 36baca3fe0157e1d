/// One connection made and closed, to learn whether an environment can be reached before
/// handing the terminal to a program that would report it its own way (psql exits 2 for
/// a refused connection, which cruddur reserves for usage and config errors).
public enum ConnectionCheck {
  /// Throws the `ConnectionError` (exit 1) a run would report.
  public static func verify(_ info: ConnInfo) async throws {
    let connection = try await Connection.connect(info, applicationName: "cruddur connect check")
    await connection.close()
  }
}
