import CruddurCore

/// What `cruddur envs --check` says of an environment's stamp (`DatabaseStamp`): whose
/// database it is, read from the maintenance database as the run's stamp check reads it,
/// and in the same words that check would refuse with.
public enum StampState {
  /// "this environment's", "none", "`dev`'s: …", "foreign: …", "no database …";
  /// throws when the server cannot be asked.
  public static func describe(_ environment: ResolvedEnvironment) async throws -> String {
    let target = try PostgresSession.info(for: environment)
    let connection = try await Connection.connect(
      target.with(database: PostgresSession.maintenanceDatabase), applicationName: "cruddur envs")
    do {
      let text = try await describe(target.database, for: environment.name, on: connection)
      await connection.close()
      return text
    } catch {
      await connection.close()
      throw error
    }
  }

  static func describe(_ database: String, for environment: String, on connection: Connection) async throws
    -> String
  {
    let exists = try await connection.execute(
      "select 1 from pg_catalog.pg_database where datname = $1", parameters: [database])
    guard !exists.rows.isEmpty else { return "no database \"\(database)\" yet" }
    switch try await StampVerdict.read(of: database, for: environment, on: connection) {
    case .none: return "none (not created by cruddur; `cruddur stamp` claims it)"
    case .foreign(let stamped, let stampedDatabase):
      return "foreign: stamped for `\(stamped)` on database \"\(stampedDatabase)\""
        + " (restored, renamed or copied; destructive steps are refused until `cruddur stamp`)"
    case .other(let stamped): return "`\(stamped)`'s (destructive steps from \(environment) are refused)"
    case .own: return "this environment's"
    }
  }
}
