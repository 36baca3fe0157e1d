import CruddurCore
import Foundation

/// The database a stamp was made on: its name and, where the role may read it, the
/// cluster's system identifier (`pg_control_system()`). A stamp travels with the database
/// (`pg_dump -C` carries database settings, a rename keeps them), so a stamp whose
/// identity is not the database it is read on was restored, renamed or copied: it no
/// longer says which environment the database belongs to.
public struct DatabaseIdentity: Sendable, Equatable {
  public var database: String
  public var system: String?

  /// The identity of `database` on the server `connection` is on.
  static func current(_ database: String, on connection: Connection) async -> DatabaseIdentity {
    DatabaseIdentity(database: database, system: await systemIdentifier(on: connection))
  }

  /// nil when the role may not read it (it is granted to superusers only by default).
  static func systemIdentifier(on connection: Connection) async -> String? {
    let result = try? await connection.execute(
      "select system_identifier::text from pg_catalog.pg_control_system()", parameters: [])
    return result?.rows.first?.first ?? nil
  }

  /// Whether a stamp made on `self` was made on `other`: names must match, and system
  /// identifiers too when both are known.
  func matches(_ other: DatabaseIdentity) -> Bool {
    guard database == other.database else { return false }
    guard let system, let otherSystem = other.system else { return true }
    return system == otherSystem
  }
}

/// A stamp as the setting holds it: `ENV`, as cruddur wrote it before identities (no
/// identity: trusted as before), or `ENV;system=ID;database=NAME` (`system=` empty when
/// unreadable; the name last, so it may hold any character).
struct StampValue: Sendable, Equatable {
  var environment: String
  var identity: DatabaseIdentity?

  init(environment: String, identity: DatabaseIdentity?) {
    self.environment = environment
    self.identity = identity
  }

  init(parsing value: String) {
    guard let semicolon = value.firstIndex(of: ";") else {
      self.init(environment: value, identity: nil)
      return
    }
    let environment = String(value[..<semicolon])
    var rest = value[value.index(after: semicolon)...]
    var system: String?
    if rest.hasPrefix("system=") {
      let end = rest.firstIndex(of: ";") ?? rest.endIndex
      let text = rest[rest.index(rest.startIndex, offsetBy: "system=".count)..<end]
      system = text.isEmpty ? nil : String(text)
      rest = end < rest.endIndex ? rest[rest.index(after: end)...] : rest[end...]
    }
    guard rest.hasPrefix("database=") else {
      self.init(environment: environment, identity: nil)
      return
    }
    self.init(
      environment: environment,
      identity: DatabaseIdentity(
        database: String(rest.dropFirst("database=".count)), system: system))
  }

  var text: String {
    guard let identity else { return environment }
    return "\(environment);system=\(identity.system ?? "");database=\(identity.database)"
  }
}

extension DatabaseStamp {
  /// The stamp on `database`, parsed; nil when it has none.
  static func read(of database: String, on connection: Connection) async throws -> StampValue? {
    let result = try await connection.execute(
      """
      select c from pg_catalog.pg_db_role_setting s join pg_catalog.pg_database d on d.oid = s.setdatabase,
        unnest(s.setconfig) c
      where d.datname = $1 and s.setrole = 0 and c like 'cruddur.environment=%'
      """, parameters: [database])
    guard let value = result.rows.first?.first ?? nil else { return nil }
    return StampValue(parsing: String(value.dropFirst(setting.count + 1)))
  }

  /// Stamps `database` (on the maintenance connection) for `environment` with its
  /// identity now; `recorded` says who stamped it and how, in `cruddur.stamped_by`.
  static func stamp(
    _ database: String, environment: String, recorded: String, on connection: Connection
  ) async throws {
    let identity = await DatabaseIdentity.current(database, on: connection)
    let quoted = try await connection.quoteIdentifier(database)
    func literal(_ text: String) -> String {
      "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
    try await connection.execute(
      """
      ALTER DATABASE \(quoted) SET \(setting) = \(literal(StampValue(environment: environment, identity: identity).text));
      ALTER DATABASE \(quoted) SET cruddur.stamped_by = \(literal(recorded))
      """)
  }

  /// "ann@laptop at 2026-12-07T18:30:00Z by database: create".
  static func recorded(_ how: String) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return "\(MigrationLedger.appliedBy) at \(formatter.string(from: Date())) by \(how)"
  }
}

/// `cruddur stamp`: the library half (the command asks for consent first).
public enum Restamp {
  /// Stamps the environment's database for it; returns what it carried before, in words.
  public static func run(environment: ResolvedEnvironment, projectRoot: String) async throws
    -> String
  {
    let target = try PostgresSession.info(for: environment)
    let connection = try await Connection.connect(
      target.with(database: PostgresSession.maintenanceDatabase), applicationName: "cruddur stamp")
    do {
      let exists = try await connection.execute(
        "select 1 from pg_catalog.pg_database where datname = $1", parameters: [target.database])
      guard !exists.rows.isEmpty else {
        throw RunError(.databaseMissing(target.database, target: target.description))
      }
      let before = try await DatabaseStamp.read(of: target.database, on: connection)
      try await DatabaseStamp.stamp(
        target.database, environment: environment.name,
        recorded: DatabaseStamp.recorded("cruddur stamp"),
        on: connection)
      await connection.close()
      guard let before else { return "it had no stamp" }
      return "it was stamped for `\(before.environment)`"
        + (before.identity.map { " on database \"\($0.database)\"" } ?? "")
    } catch {
      await connection.close()
      throw error
    }
  }
}
