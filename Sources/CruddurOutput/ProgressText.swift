import CruddurCore
import Foundation

/// A load's progress in words: "1200 statements, 20.0 MB of 202.0 MB (9%), 5.1 MB/s,
/// ETA 36s". The same text on a terminal's redrawn line and in a log's plain line.
public enum ProgressText {
  public static func line(_ progress: StepProgress) -> String {
    let seconds = max(progress.elapsed.seconds, 0.001)
    let rate = Double(progress.bytes) / seconds
    if let total = progress.totalBytes, total > 0, progress.bytes >= total {
      // The whole file is sent; the server is still at work on it (a COPY's data fits in
      // the socket buffers). A rate would only fall from here, and mean nothing.
      return "\(progress.statements) statement\(progress.statements == 1 ? "" : "s"), all \(size(total)) sent, "
        + "waiting for the server"
    }
    var line = "\(progress.statements) statement\(progress.statements == 1 ? "" : "s"), \(size(progress.bytes))"
    if let total = progress.totalBytes, total > 0 {
      line += " of \(size(total)) (\(min(100, progress.bytes * 100 / total))%)"
      line += ", \(size(Int(rate)))/s"
      let eta = rate > 0 ? Int((Double(max(0, total - progress.bytes)) / rate).rounded()) : 0
      if eta > 0 { line += ", ETA \(eta)s" }
    } else {
      line += ", \(size(Int(rate)))/s"
    }
    return line
  }

  /// Decimal units, as `du --si` and download bars print them.
  static func size(_ bytes: Int) -> String {
    let units = ["B", "KB", "MB", "GB", "TB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1000 && unit < units.count - 1 {
      value /= 1000
      unit += 1
    }
    return unit == 0 ? "\(bytes) B" : String(format: "%.1f", value) + " " + units[unit]
  }
}
