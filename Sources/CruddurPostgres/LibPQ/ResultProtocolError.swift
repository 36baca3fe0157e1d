import CruddurCore

/// A result a statement run by cruddur cannot be read as: the server or libpq went where
/// a `query:` cannot follow. Not "cannot connect": the connection worked.
public struct ResultProtocolError: CruddurError, Equatable {
  public enum Kind: Sendable, Equatable {
    /// `COPY … FROM STDIN` reached the server (validation stops the ones it can see).
    case copyInWithoutData
    /// `COPY … TO STDOUT (FORMAT binary)`: its rows are not text.
    case binaryCopyOutput
    /// A replication stream; the connection was closed to leave it.
    case copyBoth
    /// A pipeline-mode or unknown status, by name; the connection was closed.
    case unexpected(status: String)
  }

  public var kind: Kind
  public var target: String

  public var exitStatus: ExitStatus { .stepFailed }
  public var diagnostics: [Diagnostic] {
    switch kind {
    case .copyInWithoutData:
      [
        .error(
          "`COPY … FROM STDIN` on \(target) has no data to read; the COPY was ended with an error",
          help: "put the COPY and its data lines (ended by `\\.`) in a file a `sql:` task loads")
      ]
    case .binaryCopyOutput:
      [
        .error(
          "binary COPY output on \(target) cannot be shown as rows",
          help: "use COPY's text or csv format")
      ]
    case .copyBoth:
      [
        .error(
          "the statement on \(target) started a replication stream, which cruddur does not read; connection closed"
        )
      ]
    case .unexpected(let status):
      [
        .error(
          "libpq returned \(status) on \(target), which cruddur never asks for; connection closed")
      ]
    }
  }
}
