import CruddurCore
import Foundation

/// A connection string taken apart by libpq's grammar (URLs and key=value alike, see
/// `ConnInfoParser`), so the database name is replaced as a field, never cut out of the text.
public struct ConnInfo: Sendable, CustomStringConvertible {
  /// Options in libpq's order; only those the string set.
  public private(set) var options: [(key: String, value: String)]
  /// dbmate's `?search_path=` parameter, when the URL has one (`SearchPathParameter`).
  public private(set) var searchPath: String?

  /// Parses without loading libpq: a plan needs the target, not a connection.
  public init(parsing url: ConnectionURL) throws {
    PasswordFile.remembered
    let (text, searchPath) = SearchPathParameter.extract(from: url.secretValue)
    do {
      options = try ConnInfoParser.parse(text)
    } catch {
      throw RunError(.invalidConnectionURL(url, reason: error.message))
    }
    self.searchPath = searchPath
    if let searchPath { appendOption(SearchPathParameter.option(searchPath)) }
    // The password as libpq reads it, whatever shape the URL had.
    if let password = self["password"] { Redaction.remember(secret: password) }
  }

  public subscript(key: String) -> String? {
    get { options.last { $0.key == key }?.value }
    set {
      options.removeAll { $0.key == key }
      if let newValue { options.append((key, newValue)) }
    }
  }

  /// Adds a server option (`-c name=value`) to those the URL set.
  public mutating func appendOption(_ option: String) {
    self["options"] = self["options"].map { $0 + " " + option } ?? option
  }

  /// The same server with another database.
  public func with(database: String) -> ConnInfo {
    var copy = self
    copy["dbname"] = database
    return copy
  }

  /// The database named by the URL; libpq's default is the user name.
  public var database: String {
    self["dbname"] ?? self["user"] ?? ProcessEnvironment.value("PGDATABASE") ?? ProcessEnvironment.value("USER") ?? "postgres"
  }

  public var host: String { self["host"] ?? self["hostaddr"] ?? ProcessEnvironment.value("PGHOST") ?? "localhost" }
  public var port: String { self["port"] ?? ProcessEnvironment.value("PGPORT") ?? "5432" }
  public var user: String { self["user"] ?? ProcessEnvironment.value("PGUSER") ?? ProcessEnvironment.value("USER") ?? "postgres" }
  public var password: String? { self["password"] }

  public var target: Target { Target(host: host, port: port, database: database, user: user) }

  /// Where a step acts, in words; never includes the password.
  public var description: String { target.description }

  /// Calls `body` with NULL-terminated keyword/value arrays for `PQconnectdbParams`.
  func withKeywordArrays<R>(_ body: (UnsafePointer<UnsafePointer<CChar>?>, UnsafePointer<UnsafePointer<CChar>?>) -> R)
    -> R
  {
    let keys = options.map { strdup($0.key) }
    let values = options.map { strdup($0.value) }
    defer {
      keys.forEach { free($0) }
      values.forEach { free($0) }
    }
    let keyPointers = keys.map { UnsafePointer($0) } + [nil]
    let valuePointers = values.map { UnsafePointer($0) } + [nil]
    return keyPointers.withUnsafeBufferPointer { k in
      valuePointers.withUnsafeBufferPointer { v in body(k.baseAddress!, v.baseAddress!) }
    }
  }
}

extension String {
  func trimmingTrailingNewlines() -> String {
    var s = Substring(self)
    while let last = s.last, last.isNewline || last == " " { s = s.dropLast() }
    return String(s)
  }
}
