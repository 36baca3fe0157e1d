import Foundation

/// A fresh folder under the system temp dir, readable by the `postgres` user (the embedded
/// server runs as that user when tests run as root), removed by `remove()`.
public struct TemporaryDirectory: Sendable {
  public let path: String

  public init(prefix: String = "cruddur-test") throws {
    let base = FileManager.default.temporaryDirectory.path
    let path = "\(base)/\(prefix)-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(
      atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    self.path = path
  }

  public func write(_ relativePath: String, _ contents: String) throws {
    let full = path + "/" + relativePath
    let directory = (full as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(
      atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    try contents.write(toFile: full, atomically: false, encoding: .utf8)
  }

  public func remove() { try? FileManager.default.removeItem(atPath: path) }
}
