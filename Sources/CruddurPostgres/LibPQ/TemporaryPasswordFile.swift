import CruddurCore
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A password handed to a libpq program (psql, pg_dump) as a password file of its own, mode
/// 0600 in a 0700 folder, rather than `PGPASSWORD`, which `/proc/PID/environ` shows to
/// every process of the same user for the child's whole life. The child gets the file's
/// path (`passfile=`), never the password; the file is removed when the child has ended, or,
/// for a program that replaces cruddur (`connect`), before it starts: it then reads the
/// file through a descriptor it inherits (`/proc/self/fd/N`), the name already gone.
public final class TemporaryPasswordFile: Sendable {
  /// What to give libpq as `passfile`.
  public let path: String
  private let directory: String?

  /// Writes `password` for every host, port, database and user of this one child (libpq
  /// takes the first matching line; a `\connect` to another database keeps working).
  public init(password: String) throws {
    var template = Array((NSTemporaryDirectory() + "/cruddur-pgpass-XXXXXX").utf8CString)
    guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
      throw RunError(
        .cannotWrite(path: NSTemporaryDirectory(), reason: String(cString: strerror(errno))))
    }
    let directory = String(cString: made)
    let path = directory + "/pgpass"
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      rmdir(directory)
      throw RunError(.cannotWrite(path: path, reason: String(cString: strerror(errno))))
    }
    let bytes = Array(("*:*:*:*:" + Self.escape(password) + "\n").utf8)
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
    guard written == bytes.count else {
      unlink(path)
      rmdir(directory)
      throw RunError(.cannotWrite(path: path, reason: "short write"))
    }
    self.path = path
    self.directory = directory
  }

  /// For `exec`: the same file opened for reading on a descriptor the next program
  /// inherits, and removed at once. `path` names the descriptor.
  public init(inheritedBy password: String) throws {
    let file = try TemporaryPasswordFile(password: password)
    let fd = open(file.path, O_RDONLY)
    file.remove()
    guard fd >= 0 else {
      throw RunError(.cannotWrite(path: file.path, reason: String(cString: strerror(errno))))
    }
    self.path = "/proc/self/fd/\(fd)"
    self.directory = nil
  }

  /// Removes the file and its folder (nothing for the inherited form, already gone).
  public func remove() {
    guard let directory else { return }
    unlink(path)
    rmdir(directory)
  }

  /// `\` and `:` are escaped in a password file's fields.
  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ":", with: "\\:")
  }
}
