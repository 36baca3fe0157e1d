import CruddurCore
import CruddurPostgres

/// Opens side connections for tests (to hold a session open, to read rows).
public enum ConnInfoFactory {
  public static func info(_ url: String) throws -> ConnInfo { try ConnInfo(parsing: ConnectionURL(url)) }
  public static func connect(_ info: ConnInfo) async throws -> Connection {
    try await Connection.connect(info, applicationName: "cruddur-tests")
  }
}
