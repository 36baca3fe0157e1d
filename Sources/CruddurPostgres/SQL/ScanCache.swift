import Foundation
import Synchronization

/// Which files a plan scanned and found clean, with the size and modification time seen
/// then: a run trusts the scan only if the file is still the same, else it checks again.
final class ScanCache: Sendable {
  private struct Stamp: Equatable {
    var size: Int
    var modified: Date
  }
  private let clean = Mutex<[String: Stamp]>([:])

  /// The rules differ with and without the file's transaction, so each mode is kept apart.
  func store(_ scan: SQLScriptScan, for path: String, inTransaction: Bool) {
    guard scan.diagnostics.isEmpty, let stamp = Self.stamp(path) else { return }
    clean.withLock { $0["\(inTransaction) \(path)"] = stamp }
  }

  func isCurrent(for path: String, inTransaction: Bool) -> Bool {
    guard let now = Self.stamp(path) else { return false }
    return clean.withLock { $0["\(inTransaction) \(path)"] } == now
  }

  private static func stamp(_ path: String) -> Stamp? {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
      let size = attributes[.size] as? Int, let modified = attributes[.modificationDate] as? Date
    else { return nil }
    return Stamp(size: size, modified: modified)
  }
}
