import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Files that are not text: raw bytes, and the kinds cruddur must refuse to read (a FIFO
/// that would block an `open`, a directory, a socket).
extension TemporaryDirectory {
  /// Writes `bytes` as they are, for files that are not valid UTF-8.
  public func write(_ relativePath: String, bytes: [UInt8]) throws {
    let full = try prepare(relativePath)
    try Data(bytes).write(to: URL(fileURLWithPath: full))
  }

  public func makeFIFO(_ relativePath: String) throws {
    let full = try prepare(relativePath)
    guard mkfifo(full, 0o644) == 0 else { throw SpecialFileError(path: full, errno: errno) }
  }

  public func makeDirectory(_ relativePath: String) throws {
    try FileManager.default.createDirectory(atPath: path + "/" + relativePath, withIntermediateDirectories: true)
  }

  /// A bound Unix socket; the descriptor is closed, the socket file stays.
  public func makeSocket(_ relativePath: String) throws {
    let full = try prepare(relativePath)
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw SpecialFileError(path: full, errno: errno) }
    defer { close(fd) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(full.utf8)
    guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
      throw SpecialFileError(path: full, errno: ENAMETOOLONG)
    }
    withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
    let status = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    guard status == 0 else { throw SpecialFileError(path: full, errno: errno) }
  }

  public func makeSymlink(_ relativePath: String, to destination: String) throws {
    let full = try prepare(relativePath)
    try FileManager.default.createSymbolicLink(atPath: full, withDestinationPath: destination)
  }

  private func prepare(_ relativePath: String) throws -> String {
    let full = path + "/" + relativePath
    try FileManager.default.createDirectory(
      atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o755])
    return full
  }
}

/// A special file could not be made.
public struct SpecialFileError: Error, CustomStringConvertible {
  public var path: String
  public var errno: Int32
  public var description: String { "cannot make \(path): \(String(cString: strerror(errno)))" }
}
