import CruddurCore
import CruddurTestSupport
import Synchronization
import Testing

@testable import CruddurPostgres

extension PostgresLoaderTests {
  @Suite struct LoadProgressTests {
    /// A dump is mostly COPY data: progress that moved only between statements stood still
    /// for all of it (one 202 MB COPY showed a single line at 99%).
    @Test("progress moves while a COPY's data is sent, by the bytes read, up to the file's size")
    func movesDuringCopy() async throws {
      let database = try await PostgresLoaderTests.createDatabase("progress")
      let rows = (1...100_000).map { "\($0)\tvalue \($0)" }.joined(separator: "\n")
      let sql = "create table t (id int, v text);\nCOPY t (id, v) FROM stdin;\n\(rows)\n\\.\nselect 1;\n"
      let project = try PostgresLoaderTests.project(database: database, sql: sql)
      defer { project.remove() }
      let reports = Mutex<[StepProgress]>([])
      let total = sql.utf8.count
      let loader = SQLLoader(
        cursor: try SQLScriptCursor(path: project.path + "/db/load.sql", projectRoot: project.path),
        displayPath: "db/load.sql", options: .init(inTransaction: true, isChecked: false),
        progress: LoadProgress(totalBytes: total, interval: .zero) { progress in reports.withLock { $0.append(progress) } })
      let connection = try await ConnInfoFactory.connect(
        ConnInfoFactory.info(PostgresLoaderTests.cluster.url(database: database)))
      try await loader.run(on: connection) { _, _ in throw CancellationError() }
      await connection.close()

      let seen = reports.withLock { $0 }
      let duringCopy = seen.filter { $0.statements == 2 }
      #expect(duringCopy.count >= 10, "reports while the COPY ran: \(duringCopy.count)")
      #expect(zip(duringCopy, duringCopy.dropFirst()).allSatisfy { $0.bytes < $1.bytes }, "bytes only grow")
      #expect(seen.allSatisfy { $0.totalBytes == total && $0.bytes <= total })
      #expect((duringCopy.last?.bytes ?? 0) * 10 >= total * 9, "the last COPY report is near the end of the file")
      #expect(seen.last?.statements == 3)
      #expect(try await PostgresLoaderTests.cluster.value("select count(*) from t", database: database) == "100000")
    }
  }
}

extension PostgresLoaderTests.LoadProgressTests {
  /// The server can work long after the last byte was read (a slow COPY, one long
  /// statement): progress repeats its figures meanwhile, or a log would show nothing.
  @Test("while the server works on a statement, progress keeps coming with the same figures")
  func heartbeatWhileWaiting() async throws {
    let database = try await PostgresLoaderTests.createDatabase("heartbeat")
    let project = try PostgresLoaderTests.project(
      database: database, sql: "select pg_advisory_xact_lock(4242);\ncreate table done (id int);\n")
    defer { project.remove() }
    let info = try ConnInfoFactory.info(PostgresLoaderTests.cluster.url(database: database))
    // The test holds the lock, so the load waits on the server until the test lets go.
    let holder = try await ConnInfoFactory.connect(info)
    _ = try await holder.execute("select pg_advisory_lock(4242)")
    let (reports, continuation) = AsyncStream.makeStream(of: StepProgress.self)
    let loader = SQLLoader(
      cursor: try SQLScriptCursor(path: project.path + "/db/load.sql", projectRoot: project.path),
      displayPath: "db/load.sql", options: .init(inTransaction: true, isChecked: false),
      // Per-statement reports are kept out (a day apart), so any report is the heartbeat's.
      progress: LoadProgress(totalBytes: 64, interval: .seconds(86_400), heartbeat: .milliseconds(20)) {
        continuation.yield($0)
      })
    let connection = try await ConnInfoFactory.connect(info)
    let load = Task { try await loader.run(on: connection) { _, _ in throw CancellationError() } }
    var iterator = reports.makeAsyncIterator()
    let first = await iterator.next()
    let second = await iterator.next()
    #expect(try await PostgresLoaderTests.cluster.value("select count(*) from pg_tables where tablename = 'done'", database: database) == "0")
    _ = try await holder.execute("select pg_advisory_unlock(4242)")
    try await load.value
    continuation.finish()
    #expect(first?.statements == 2 && second?.statements == 2, "\(String(describing: first)) \(String(describing: second))")
    #expect(first?.bytes == second?.bytes)
    #expect((second?.elapsed ?? .zero) > (first?.elapsed ?? .zero))
    await holder.close()
    await connection.close()
  }
}
