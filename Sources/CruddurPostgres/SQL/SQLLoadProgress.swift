import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// One updating progress line on stderr for long loads: statements, bytes, rate, ETA.
///
/// Written here rather than sent as events because Core's `Event` has no progress case
/// and a renderer would print every update as a new line; this is shown only when stderr
/// is a terminal (a redirected run or a CI log gets nothing) and only after the load has
/// run for a second, and it is erased before any other output.
struct SQLLoadProgress {
  private let totalBytes: Int
  private let isEnabled: Bool
  private let start = ContinuousClock.now
  private var lastDraw: ContinuousClock.Instant?
  private var isShown = false

  init(totalBytes: Int, isEnabled: Bool = isatty(2) == 1) {
    self.totalBytes = totalBytes
    self.isEnabled = isEnabled
  }

  mutating func update(statements: Int, bytes: Int) {
    guard isEnabled else { return }
    let now = ContinuousClock.now
    let elapsed = now - start
    guard elapsed > .seconds(1) else { return }
    if let lastDraw, now - lastDraw < .milliseconds(200) { return }
    lastDraw = now
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let rate = Double(bytes) / max(seconds, 0.001)
    var line = "  sql: \(statements) statements, \(Self.size(bytes))"
    if totalBytes > 0 {
      line += " of \(Self.size(totalBytes)) (\(min(100, bytes * 100 / totalBytes))%)"
    }
    line += ", \(Self.size(Int(rate)))/s"
    if totalBytes > bytes, rate > 0 { line += ", ETA \(Int((Double(totalBytes - bytes) / rate).rounded()))s" }
    write("\r\u{1B}[K" + line)
    isShown = true
  }

  /// Erases the line, so the step's own output starts on a clean line.
  mutating func finish() {
    guard isShown else { return }
    write("\r\u{1B}[K")
    isShown = false
  }

  private func write(_ text: String) {
    var text = text
    text.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
  }

  static func size(_ bytes: Int) -> String {
    let units = ["B", "KB", "MB", "GB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1000 && unit < units.count - 1 {
      value /= 1000
      unit += 1
    }
    return unit == 0 ? "\(bytes) B" : String(format: "%.1f", value) + " " + units[unit]
  }
}
