/// Why PostgreSQL's grammar could not read a text: a value, never an exit, so a caller on a
/// protected environment can treat the statement as unknown rather than safe.
public struct SQLParseError: Error, Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    /// libpg_query could not be loaded (`reason` says why).
    case unavailable
    /// The PostgreSQL 15 grammar rejects the text (a typo, or syntax newer than 15).
    case syntax
  }

  public var kind: Kind
  /// The grammar's message ("syntax error at or near \"mergex\""), or the loader's.
  public var message: String
  /// 1-based character position in the text parsed, when the grammar gives one.
  public var position: Int?

  public init(kind: Kind, message: String, position: Int? = nil) {
    self.kind = kind
    self.message = message
    self.position = position
  }
}
