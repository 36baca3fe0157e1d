import CruddurCore

/// Which psql meta-commands a `sql` file may use, and what each means to the loader:
/// those `pg_dump`/`pg_dumpall` write, includes, and `\set ON_ERROR_STOP`.
extension MetaCommand {
  enum Action: Equatable {
    /// `\connect DB [USER]`: continue on another database of the same server.
    case connect(database: String?, user: String?)
    /// `\i FILE` (relative to the project root, psql's working directory) or `\ir FILE`
    /// (relative to the including file).
    case include(path: String, relativeToFile: Bool)
    /// Accepted and without effect: `\restrict KEY` / `\unrestrict KEY` (cruddur never
    /// reads meta-commands from query results, which is what they guard against) and
    /// `\set ON_ERROR_STOP` (cruddur always stops at the first error).
    case ignore
  }

  static let supported = "\\connect (\\c), \\restrict, \\unrestrict, \\i, \\ir, \\set ON_ERROR_STOP"

  /// The loader's action, or a message saying why the command cannot be run.
  var action: Result<Action, MetaCommandError> {
    switch name {
    case "connect":
      let database = arguments.first.flatMap { $0 == "-" || $0.isEmpty ? nil : $0 }
      let user = arguments.dropFirst().first.flatMap { $0 == "-" || $0.isEmpty ? nil : $0 }
      if arguments.count > 2 {
        return .failure(.init(.connectToOtherServer))
      }
      return .success(.connect(database: database, user: user))
    case "restrict", "unrestrict":
      return .success(.ignore)
    case "i", "include", "ir", "include_relative":
      guard let path = arguments.first, !path.isEmpty else {
        return .failure(.init(.includeNeedsFile(command: name)))
      }
      return .success(.include(path: path, relativeToFile: name == "ir" || name == "include_relative"))
    case "set":
      if arguments.first?.uppercased() == "ON_ERROR_STOP" { return .success(.ignore) }
      return .failure(.init(.psqlVariable(name: arguments.first ?? "")))
    case "copy":
      return .failure(.init(.backslashCopy))
    default:
      return .failure(.init(.unsupportedMetaCommand(name: name, supported: Self.supported)))
    }
  }
}

/// Why a meta-command cannot be run.
struct MetaCommandError: Error, Equatable {
  var kind: PostgresConfigErrorKind
  init(_ kind: PostgresConfigErrorKind) { self.kind = kind }
}
