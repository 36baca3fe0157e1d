import CruddurCore
import Foundation

/// One database of a fleet: its connection string (masked wherever it is shown), and the
/// names the fleet code uses for it: `label` (`host:port/database`, never a user or a
/// password) and `server` (`host:port`, what `per_server:` bounds).
public struct FleetTarget: Sendable {
  public var url: ConnectionURL
  public var label: String
  public var server: String

  public init(url: ConnectionURL) throws {
    let info = try ConnInfo(parsing: url)
    self.init(url: url, info: info)
  }

  init(url: ConnectionURL, info: ConnInfo) {
    self.url = url
    server = "\(info.host):\(info.port)"
    label = "\(server)/\(info.database)"
  }

  /// `database` on the server `info` reaches, as the same user.
  init(database: String, on info: ConnInfo) {
    let other = info.with(database: database)
    self.init(url: ConnectionURL(other.keywordString), info: other)
  }

  /// The environment a step on this target sees: the fleet's name, this target's URL.
  public func environment(of fleet: String, isProtected: Bool) -> ResolvedEnvironment {
    ResolvedEnvironment(name: fleet, url: url, isEmbedded: false, isProtected: isProtected)
  }
}

extension ConnInfo {
  /// libpq's `key='value'` form of every option, quotes and backslashes escaped: a
  /// database name is put in as a field, never spliced into URL text.
  var keywordString: String {
    options.map { option in
      let escaped = option.value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
        of: "'", with: "\\'")
      return "\(option.key)='\(escaped)'"
    }.joined(separator: " ")
  }
}
