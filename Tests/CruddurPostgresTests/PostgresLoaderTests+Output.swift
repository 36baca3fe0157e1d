import CruddurTestSupport

extension PostgresLoaderTests {
  /// What changes between runs of a load's whole output: measured durations, the test's
  /// own database name and the cluster's port.
  static func variable(_ database: String) -> [OutputSubstitution] {
    [.durations, .literal(database, as: "<db>"), .literal("127.0.0.1:\(cluster.port)", as: "127.0.0.1:<port>")]
  }

  /// What stdout says of a load in one transaction that fails: the header, the step, the summary.
  static let failedLoadHeader = """
    cruddur load on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
    == load run db/load.sql in one transaction
    ✗ run failed after <duration>: 0 done; failed: load

    """

  /// The same for a load with `transaction: false`.
  static let failedStatementByStatementHeader = """
    cruddur load on local (postgresql://postgres:****@127.0.0.1:<port>/<db>), 1 step
    == load run db/load.sql statement by statement
    ✗ run failed after <duration>: 0 done; failed: load

    """
}
