import CruddurCore
import CruddurTestSupport
import Testing

@testable import CruddurPostgres

/// Every status libpq can return has its branch, and the ones a server can be made to send
/// are read through to the end on a real connection, which stays usable after.
extension PostgresLoaderTests {
  @Suite struct ResultStatusTests {
    @Test(
      "each of libpq 15's twelve result statuses maps to its own branch; an unknown one ends the read"
    )
    func everyStatusHasABranch() {
      let expected: [String: ResultStatus] = [
        "PGRES_EMPTY_QUERY": .done, "PGRES_COMMAND_OK": .done,
        "PGRES_TUPLES_OK": .rows(isLastOfStatement: true),
        "PGRES_SINGLE_TUPLE": .rows(isLastOfStatement: false),
        "PGRES_COPY_OUT": .copyOut, "PGRES_COPY_IN": .copyIn, "PGRES_COPY_BOTH": .copyBoth,
        "PGRES_BAD_RESPONSE": .failure, "PGRES_NONFATAL_ERROR": .failure,
        "PGRES_FATAL_ERROR": .failure,
        "PGRES_PIPELINE_SYNC": .pipeline(name: "PGRES_PIPELINE_SYNC"),
        "PGRES_PIPELINE_ABORTED": .pipeline(name: "PGRES_PIPELINE_ABORTED"),
      ]
      #expect(ResultStatus.allLibPQStatuses.count == 12)
      for (name, status) in ResultStatus.allLibPQStatuses {
        #expect(status == expected[name], "\(name)")
      }
      #expect(ResultStatus(raw: 999) == .unknown(rawValue: 999))
    }

    static func connect(_ database: String) async throws -> Connection {
      let info = try ConnInfo(
        parsing: ConnectionURL(PostgresLoaderTests.cluster.url(database: database)))
      return try await Connection.connect(info, applicationName: "cruddur-tests")
    }

    @Test("COPY TO STDOUT streams its lines as rows of one column, in text and csv, then its tag")
    func copyOut() async throws {
      let database = try await PostgresLoaderTests.createDatabase("copyout")
      let connection = try await Self.connect(database)
      defer { Task { await connection.close() } }
      let rows = RowsCollected()
      let text = try await connection.stream(
        "copy (select n, 'a' || n, null from generate_series(1, 3) n) to stdout", parameters: [],
        chunkSize: 2,
        onColumns: { rows.columns($0) }, onRows: { rows.add($0) })
      #expect(text.rowCount == 3)
      #expect(text.commandTag == "COPY 3")
      #expect(rows.names == ["copy"])
      #expect(rows.rows == [["1\ta1\t\\N"], ["2\ta2\t\\N"], ["3\ta3\t\\N"]])
      let csv = try await connection.execute(
        "copy (select 'x,y' as v, 2) to stdout with (format csv, header)")
      #expect(csv.columns == ["copy"])
      #expect(csv.rows == [["v,?column?"], ["\"x,y\",2"]])
      #expect(csv.commandTag == "COPY 1")
      // The connection took the whole COPY and is ready for the next command.
      #expect(try await connection.execute("select 7").rows == [["7"]])
    }

    @Test(
      "COPY FROM STDIN in a statement is ended with an error, nothing is inserted, and the connection goes on"
    )
    func copyIn() async throws {
      let database = try await PostgresLoaderTests.createDatabase("copyin")
      let connection = try await Self.connect(database)
      defer { Task { await connection.close() } }
      _ = try await connection.execute("create table t (id int)")
      for run in 0..<2 {
        await #expect(
          throws: ResultProtocolError(kind: .copyInWithoutData, target: connection.info.description)
        ) {
          if run == 0 {
            _ = try await connection.stream(
              "copy t from stdin", parameters: [], onColumns: { _ in }, onRows: { _ in })
          } else {
            _ = try await connection.execute("copy t from stdin")
          }
        }
      }
      #expect(try await connection.execute("select count(*) from t").rows == [["0"]])
      #expect(await connection.isReusable)
    }

    @Test(
      "binary COPY output is refused after its data is read; a failing statement and an empty one are results too"
    )
    func binaryAndErrors() async throws {
      let database = try await PostgresLoaderTests.createDatabase("copybin")
      let connection = try await Self.connect(database)
      defer { Task { await connection.close() } }
      await #expect(
        throws: ResultProtocolError(kind: .binaryCopyOutput, target: connection.info.description)
      ) {
        _ = try await connection.stream(
          "copy (select 1) to stdout (format binary)", parameters: [], onColumns: { _ in },
          onRows: { _ in })
      }
      await #expect(throws: ServerError.self) {
        _ = try await connection.stream(
          "select 1/0", parameters: [], onColumns: { _ in }, onRows: { _ in })
      }
      let empty = try await connection.stream(
        "-- nothing", parameters: [], onColumns: { _ in }, onRows: { _ in })
      #expect(empty.rowCount == 0)
      #expect(try await connection.execute("select 8").rows == [["8"]])
    }
  }
}

/// Rows handed over on the connection's queue, read after the call returns.
final class RowsCollected: @unchecked Sendable {
  // Invariant: written only from the connection's serial queue during the call, read after.
  var names: [String] = []
  var rows: [[String?]] = []
  func columns(_ columns: RowColumns) { names = columns.names }
  func add(_ chunk: [[String?]]) { rows += chunk }
}
