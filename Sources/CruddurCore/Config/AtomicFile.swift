import Foundation

/// Writes files with plain POSIX calls. Foundation on Linux writes "atomically" (also in
/// `FileManager.createFile`) through an empty `TemporaryDirectory.*` folder it leaves in
/// /tmp on every write, which a tool run by every deploy must not do.
public enum AtomicFile {
  /// Whole or not at all: written under a temporary name beside `path`, then renamed.
  /// Callers that write where a user points check the path first (`OutputFile`).
  public static func write(_ text: String, to path: String) throws {
    let temporary = path + ".cruddur-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try create(text, at: temporary)
    guard rename(temporary, path) == 0 else {
      let code = errno
      unlink(temporary)
      throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
    }
  }

  /// A new file; fails (EEXIST) if one is already there, so nothing is overwritten.
  public static func create(_ text: String, at path: String, mode: mode_t = 0o644) throws {
    // O_EXCL already refuses an existing link; O_NOFOLLOW says so for the reader.
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
    guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    defer { close(fd) }
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
      let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
      if written < 0 {
        if errno == EINTR { continue }
        let code = errno
        unlink(path)
        throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
      }
      bytes = bytes.dropFirst(written)
    }
  }
}
