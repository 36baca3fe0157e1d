/// Where planning found one statement of a file it holds in memory (`SQLScriptScan`'s
/// `spans`), so the run batches the file's own bytes and never lexes them again.
struct StatementSpan: Sendable, Hashable {
  /// Byte offset of the statement's first byte in the file, and its length: the text,
  /// trailing space trimmed, without its `;` (as `SQLStatement.text` has it).
  var offset: Int
  var length: Int32
  /// 1-based line and column (in Unicode scalars) of the first byte.
  var line: Int32
  var column: Int32
  /// Must be sent alone (`SQLLoader`'s batching rules): it runs outside a transaction
  /// block, controls the transaction, or changes a setting that changes what follows.
  var runsAlone: Bool
}
