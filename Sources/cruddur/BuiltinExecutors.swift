import CruddurCore
import CruddurPostgres
import CruddurShell

/// Every executor this binary ships. Adding one is one file plus one line here.
enum BuiltinExecutors {
  /// Made once: `list` and `plan` ask for it twice (decoding, then listing or planning),
  /// and each build hashes every executor's keys. The stop grace it reads comes from the
  /// environment, which cruddur never changes.
  static let registry: ExecutorRegistry = {
    var registry = ExecutorRegistry([
      DatabaseExecutor(),
      SQLExecutor(),
      QueryExecutor(),
      ShellExecutor(gracePeriod: StopGrace.current),
      PluginExecutor(),
      PsqlExecutor(),
      MigrateExecutor(),
      DumpExecutor(),
    ])
    registry.queryTextCheck = { QueryTextRules.problem(in: $0, key: $1) }
    return registry
  }()
}
