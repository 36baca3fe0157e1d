/// What is left of a streamed result once its rows went by: how many, and the command tag.
public struct StreamedResult: Sendable, Equatable {
  public var rowCount: Int
  public var commandTag: String
}
