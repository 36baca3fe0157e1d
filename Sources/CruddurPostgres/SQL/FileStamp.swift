import Foundation

/// A file's size and modification time: a scan made while planning is trusted by the run
/// only while the file still has the stamp it had then.
struct FileStamp: Sendable, Hashable {
  var size: Int
  var modified: Date

  init?(path: String) {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
      let size = attributes[.size] as? Int, let modified = attributes[.modificationDate] as? Date
    else { return nil }
    self.size = size
    self.modified = modified
  }
}
