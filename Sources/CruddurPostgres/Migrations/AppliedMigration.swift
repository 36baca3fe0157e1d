/// A migration the target records as applied: by cruddur (with the SHA-256 of the up
/// block it ran) or by dbmate before cruddur (version only, adopted as applied).
struct AppliedMigration: Sendable, Hashable, Codable {
  var version: String
  var name: String
  /// nil for a version read from dbmate's `schema_migrations`: nothing to compare with.
  var sha256: String?
  /// UTC, `YYYY-MM-DD HH:MM:SS`; nil when dbmate applied it.
  var appliedAt: String?
}
