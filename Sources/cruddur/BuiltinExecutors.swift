import CruddurCore
import CruddurPostgres
import CruddurShell

/// Every executor this binary ships. Adding one is one file plus one line here.
enum BuiltinExecutors {
  static var registry: ExecutorRegistry {
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
  }
}
