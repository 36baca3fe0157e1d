import CruddurCore

extension SessionPool {
  /// `body` on a connection leased for `holder`, given back whether `body` threw or not.
  nonisolated func withLease<T: Sendable>(
    _ info: ConnInfo, environment: ResolvedEnvironment, projectRoot: String, holder: String,
    _ body: (Connection) async throws -> T
  ) async throws -> T {
    let connection = try await lease(
      info, environment: environment, projectRoot: projectRoot, holder: holder)
    do {
      let value = try await body(connection)
      await giveBack(connection)
      return value
    } catch {
      await giveBack(connection)
      throw error
    }
  }
}
