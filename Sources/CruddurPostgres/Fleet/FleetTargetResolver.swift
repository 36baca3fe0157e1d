import CruddurCore
import Foundation

/// Turns a fleet environment into its targets when a run starts: URLs rendered like any
/// environment's (and checked the same way), a server's databases read from `pg_database`,
/// or a control database's answer to the fleet's query. Also reads each server's
/// `max_connections`, from which the default `per_server` comes.
public enum FleetTargetResolver {
  public static func resolve(
    _ spec: EnvironmentSpec, project: Project, scope: Scope, overrides: [String: String],
    processEnvironment: [String: String]
  ) async throws -> [FleetTarget] {
    guard let fleet = spec.fleet else { throw FleetError(.notAFleet(environment: spec.name)) }
    let resolver = EnvironmentResolver(project: project)
    /// One URL template rendered and checked exactly as an environment's `url`.
    func render(_ template: Template) throws -> ConnectionURL {
      var single = spec
      single.fleet = nil
      single.url = template
      do throws(ConfigError) {
        return try resolver.resolve(single, in: scope).url
      } catch {
        throw error
      }
    }
    var targets: [FleetTarget] = []
    switch fleet.source {
    case .urls(let templates):
      for template in templates { targets.append(try FleetTarget(url: try render(template))) }
    case .pattern(let servers, let pattern):
      for template in servers {
        let info = try ConnInfo(parsing: try render(template))
        let names = try await withServer(info, environment: spec.name) { connection in
          try await connection.execute(
            """
            select datname from pg_catalog.pg_database
            where datname like $1 and datallowconn and not datistemplate order by datname
            """, parameters: [pattern.likePattern]
          ).rows.compactMap { $0.first ?? nil }
        }
        targets += names.map { FleetTarget(database: $0, on: info) }
      }
      if targets.isEmpty {
        throw FleetError(
          .noTargets(
            environment: spec.name,
            what:
              "no database matches `\(pattern.text)` on \(servers.count == 1 ? "its server" : "its \(servers.count) servers")"
          ))
      }
    case .query(let controlName, let sql, _):
      guard let controlSpec = project.environment(named: controlName) else {
        throw FleetError(.notAFleet(environment: controlName))
      }
      let controlScope: Scope
      let control: ResolvedEnvironment
      do throws(ConfigError) {
        controlScope = try resolver.scope(
          for: controlSpec, overrides: overrides, processEnvironment: processEnvironment)
        control = try resolver.resolve(controlSpec, in: controlScope)
      } catch {
        throw error
      }
      let info = try ConnInfo(parsing: control.url)
      let rows = try await withServer(info, environment: spec.name) { connection in
        try await connection.execute(sql, parameters: []).rows
      }
      for (number, row) in rows.enumerated() {
        guard let value = row.first ?? nil, !value.isEmpty else {
          throw FleetError(
            .invalidTarget(
              environment: spec.name, row: number + 1, reason: "its first column is empty"))
        }
        if value.contains("://") || value.contains("=") {
          let url = ConnectionURL(value)
          switch url.shape {
          case .url, .keywords: break
          case .ambiguous(let why), .unparsable(let why):
            throw FleetError(.invalidTarget(environment: spec.name, row: number + 1, reason: why))
          }
          targets.append(try FleetTarget(url: url))
        } else {
          targets.append(FleetTarget(database: value, on: info))
        }
      }
      if targets.isEmpty {
        throw FleetError(.queryReturnedNothing(environment: spec.name, control: controlName))
      }
    }
    // A target listed twice would run twice at once and contend for its own lock.
    var seen: Set<String> = []
    return targets.filter { seen.insert($0.label).inserted }
  }

  /// Connections this fleet may open on each of its servers: `per_server:`, else a
  /// quarter of what the server accepts (`max_connections` less the superuser reserve),
  /// so other clients keep three quarters; never less than `needed`.
  public static func perServerLimits(
    _ targets: [FleetTarget], declared: Int?, needed: Int, environment: String
  ) async throws -> [String: Int] {
    var limits: [String: Int] = [:]
    var firstOfServer: [String: FleetTarget] = [:]
    for target in targets where firstOfServer[target.server] == nil {
      firstOfServer[target.server] = target
    }
    for (server, target) in firstOfServer.sorted(by: { $0.key < $1.key }) {
      if let declared {
        guard declared >= needed else {
          throw FleetError(.perServerTooSmall(perServer: declared, server: server, needed: needed))
        }
        limits[server] = declared
        continue
      }
      // An unreachable server gets the smallest bound; its targets will fail on their own.
      let info = try ConnInfo(parsing: target.url)
      let available = try? await withServer(info, environment: environment) { connection in
        let row = try await connection.execute(
          "select current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int",
          parameters: []
        ).rows.first
        return Int((row?.first ?? nil) ?? "") ?? 0
      }
      limits[server] = max(needed, (available ?? 0) / 4)
    }
    return limits
  }

  static func withServer<T: Sendable>(
    _ info: ConnInfo, environment: String, _ body: (Connection) async throws -> T
  ) async throws -> T {
    let connection: Connection
    do {
      connection = try await Connection.connect(info, applicationName: "cruddur fleet")
    } catch let error as ConnectionError {
      throw FleetError(
        .resolveFailed(environment: environment, server: info.description, reason: error.message))
    }
    do {
      let result = try await body(connection)
      await connection.close()
      return result
    } catch let error as ServerError {
      await connection.close()
      throw FleetError(
        .resolveFailed(environment: environment, server: info.description, reason: error.message))
    } catch {
      await connection.close()
      throw error
    }
  }
}
