/// How far a long step has got, sent while it runs (a SQL load: statements sent and bytes
/// read, COPY data included, against the file's size). Renderers decide how often to show
/// it: a terminal redraws one line, a log gets a plain line now and then.
public struct StepProgress: Sendable, Hashable {
  public var statements: Int
  public var bytes: Int
  /// Nil when the size is not known in advance.
  public var totalBytes: Int?
  /// Since the step started: what rates and estimates are computed from, so a renderer
  /// needs no clock of its own and tests can give it any time they like.
  public var elapsed: Duration

  public init(statements: Int, bytes: Int, totalBytes: Int?, elapsed: Duration) {
    self.statements = statements
    self.bytes = bytes
    self.totalBytes = totalBytes
    self.elapsed = elapsed
  }
}
