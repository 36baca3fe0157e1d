internal import CLibPQ

/// What a reader of results does with each status `PQresultStatus` can return. Every
/// status libpq 15 defines has a branch: one it does not know (a newer libpq) ends the
/// read with an error instead of asking again, so nothing loops on a result it cannot
/// move past (a COPY once made a `query:` spin at 100 % CPU).
enum ResultStatus: Equatable, Sendable {
  /// Rows (`PGRES_TUPLES_OK`, `PGRES_SINGLE_TUPLE`).
  case rows(isLastOfStatement: Bool)
  /// A statement done without rows (`PGRES_COMMAND_OK`, `PGRES_EMPTY_QUERY`).
  case done
  /// `COPY … TO STDOUT`: data rows follow, read with `PQgetCopyData`.
  case copyOut
  /// `COPY … FROM STDIN`: the server waits for data.
  case copyIn
  /// A replication stream, both ways: no way back to ordinary results.
  case copyBoth
  /// An error result (`PGRES_FATAL_ERROR`, `PGRES_NONFATAL_ERROR`, `PGRES_BAD_RESPONSE`).
  case failure
  /// `PGRES_PIPELINE_SYNC`, `PGRES_PIPELINE_ABORTED`: pipeline mode, which cruddur never
  /// enters.
  case pipeline(name: String)
  /// A status this libpq build has and this code does not.
  case unknown(rawValue: UInt32)

  init(_ status: ExecStatusType) {
    switch status {
    case PGRES_TUPLES_OK: self = .rows(isLastOfStatement: true)
    case PGRES_SINGLE_TUPLE: self = .rows(isLastOfStatement: false)
    case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY: self = .done
    case PGRES_COPY_OUT: self = .copyOut
    case PGRES_COPY_IN: self = .copyIn
    case PGRES_COPY_BOTH: self = .copyBoth
    case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE: self = .failure
    case PGRES_PIPELINE_SYNC: self = .pipeline(name: "PGRES_PIPELINE_SYNC")
    case PGRES_PIPELINE_ABORTED: self = .pipeline(name: "PGRES_PIPELINE_ABORTED")
    default: self = .unknown(rawValue: status.rawValue)
    }
  }

  /// Every status of libpq 15's `ExecStatusType`, by name, for the test that each has its
  /// branch.
  static let allLibPQStatuses: [(name: String, status: ResultStatus)] = [
    ("PGRES_EMPTY_QUERY", ResultStatus(PGRES_EMPTY_QUERY)),
    ("PGRES_COMMAND_OK", ResultStatus(PGRES_COMMAND_OK)),
    ("PGRES_TUPLES_OK", ResultStatus(PGRES_TUPLES_OK)),
    ("PGRES_COPY_OUT", ResultStatus(PGRES_COPY_OUT)),
    ("PGRES_COPY_IN", ResultStatus(PGRES_COPY_IN)),
    ("PGRES_BAD_RESPONSE", ResultStatus(PGRES_BAD_RESPONSE)),
    ("PGRES_NONFATAL_ERROR", ResultStatus(PGRES_NONFATAL_ERROR)),
    ("PGRES_FATAL_ERROR", ResultStatus(PGRES_FATAL_ERROR)),
    ("PGRES_COPY_BOTH", ResultStatus(PGRES_COPY_BOTH)),
    ("PGRES_SINGLE_TUPLE", ResultStatus(PGRES_SINGLE_TUPLE)),
    ("PGRES_PIPELINE_SYNC", ResultStatus(PGRES_PIPELINE_SYNC)),
    ("PGRES_PIPELINE_ABORTED", ResultStatus(PGRES_PIPELINE_ABORTED)),
  ]
}

extension ResultStatus {
  /// The branch for a raw status number, as a newer libpq could return.
  init(raw: UInt32) { self.init(ExecStatusType(rawValue: raw)) }
}
