/// The columns of a query's result, announced before its first row: rows then arrive in
/// chunks as the server sends them, so nothing waits for the whole result.
public struct RowColumns: Sendable, Hashable {
  public var names: [String]
  /// Columns of numeric types: right-aligned in tables (as psql does), numbers in JSON.
  public var numeric: Set<Int>
  /// Columns of type `boolean`: `true`/`false` in JSON, not the server's `t`/`f`.
  public var boolean: Set<Int>

  public init(names: [String], numeric: Set<Int> = [], boolean: Set<Int> = []) {
    self.names = names
    self.numeric = numeric
    self.boolean = boolean
  }
}
