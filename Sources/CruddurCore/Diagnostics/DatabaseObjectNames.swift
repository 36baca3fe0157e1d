/// The database objects a server error names (its schema, table, column, data type and
/// constraint fields), kept as fields for machines: a reader of `step_failed` learns which
/// constraint failed without parsing the message, which is translated and reworded
/// between server versions.
public struct DatabaseObjectNames: Sendable, Hashable, Codable {
  public var schema: String?
  public var table: String?
  public var column: String?
  public var dataType: String?
  public var constraint: String?

  public init(
    schema: String? = nil, table: String? = nil, column: String? = nil, dataType: String? = nil,
    constraint: String? = nil
  ) {
    self.schema = schema
    self.table = table
    self.column = column
    self.dataType = dataType
    self.constraint = constraint
  }

  public var isEmpty: Bool { self == DatabaseObjectNames() }
}
