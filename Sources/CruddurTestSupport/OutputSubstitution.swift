import Foundation

/// One explicit rewrite applied to actual output before it is compared whole, for the few
/// parts that change from run to run (a measured duration, a time stamp, a temp path, a
/// pid). The expected text then holds the placeholder, so a test still states every other
/// byte; nothing falls back to `contains`.
///
///     try await project.expect(
///       ["hello"], stdout: "== hello sh: echo hi\nhi\n   done in <duration>\n✓ 1 step done in <duration>\n",
///       normalizing: [.durations])
public struct OutputSubstitution: Sendable, CustomStringConvertible {
  /// What the rewrite replaces, shown when a comparison fails.
  public let description: String
  private let rewrite: @Sendable (String) -> String

  public init(_ description: String, rewrite: @escaping @Sendable (String) -> String) {
    self.description = description
    self.rewrite = rewrite
  }

  public func apply(_ text: String) -> String { rewrite(text) }

  /// Every occurrence of `text` (a temp folder, a port chosen at run time) becomes `placeholder`.
  public static func literal(_ text: String, as placeholder: String) -> Self {
    Self("`\(text)` → `\(placeholder)`") { $0.replacingOccurrences(of: text, with: placeholder) }
  }

  /// The number `value` (a port, a pid chosen at run time) becomes `placeholder` where it
  /// stands alone, not inside a longer number.
  public static func number(_ value: some BinaryInteger, as placeholder: String) -> Self {
    pattern(#"(?<![0-9])"# + String(value) + #"(?![0-9])"#, as: placeholder)
  }

  /// Every match of the regular expression `pattern` is replaced by `template` (`$1` names
  /// a group), as `NSRegularExpression` does.
  public static func pattern(_ pattern: String, as template: String) -> Self {
    Self("/\(pattern)/ → `\(template)`") {
      $0.replacingOccurrences(of: pattern, with: template, options: .regularExpression)
    }
  }

  /// A measured duration as the console prints it (`done in 12 ms`, `failed after 1.04 s`,
  /// `✓ 2 steps done in 0.3 s`) becomes `<duration>`. A configured time is left as written:
  /// `timed out after 0.5 s` is the step's `timeout:`, not a measurement.
  public static let durations = pattern(
    #"(?<!timed out )\b(in|after) \d+(\.\d+)? (ms|s)\b"#, as: "$1 <duration>")

  /// A plan's `sha256: …` of a file and its size in `(811 bytes, 5 statements)` become
  /// `sha256: <sha256>` and `(<size> bytes, …`, for plans of files that are edited
  /// independently of the test (the repository's own db/schema.sql). Statement counts stay.
  public static let fileDigests = Self("file digests and sizes in plans") {
    $0.replacingOccurrences(of: #"sha256: [0-9a-f]{64}"#, with: "sha256: <sha256>", options: .regularExpression)
      .replacingOccurrences(of: #"\(\d+ bytes, "#, with: "(<size> bytes, ", options: .regularExpression)
  }

  /// A UUID a server generated (a `returning uuid` row, a failing row's key) becomes `<uuid>`.
  public static let uuids = pattern(
    "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", as: "<uuid>")

  /// A server's time stamp as PostgreSQL prints one (`2026-12-01 21:28:42.995286`, with or
  /// without fractions and zone) becomes `<timestamp>`.
  public static let timestamps = pattern(
    #"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d(:?\d\d)?)?"#, as: "<timestamp>")

  /// JSON lines' `"time":"…"` and `"duration_ms":…` become `"time":"<time>"` and
  /// `"duration_ms":0`.
  public static let jsonTimes = Self("JSON \"time\" and \"duration_ms\" values") {
    $0.replacingOccurrences(of: #""time":"[^"]*""#, with: #""time":"<time>""#, options: .regularExpression)
      .replacingOccurrences(of: #""duration_ms":\d+"#, with: #""duration_ms":0"#, options: .regularExpression)
  }
}
