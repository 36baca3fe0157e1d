import CruddurCore
import CruddurPostgres
import CruddurShell

/// Every executor this binary ships. Adding one is one file plus one line here.
enum BuiltinExecutors {
  static var registry: ExecutorRegistry {
    ExecutorRegistry([
      DatabaseExecutor(),
      SQLExecutor(),
      QueryExecutor(),
      ShellExecutor(gracePeriod: StopGrace.current),
      PluginExecutor(),
      PsqlExecutor(),
      MigrateExecutor(),
      DumpExecutor(),
    ])
  }
}
