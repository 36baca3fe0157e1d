import Foundation

/// A file cruddur writes for itself (a saved plan, a structure dump, a new migration, a
/// `.gitignore`): only ever a regular file, replaced whole. Whatever else is at the path (a
/// device, a FIFO, a socket, a directory, a symbolic link to anything) is left untouched
/// and refused: renaming over `/dev/full` replaced the system's device, and writing through
/// a link writes wherever it points.
public enum OutputFile {
  /// Why cruddur will not write at a path.
  public enum Refusal: Sendable, Hashable {
    /// Something other than a regular file is there.
    case notAFile(FileKind)
    /// A symbolic link is there; it is never followed.
    case symbolicLink
    /// The project reads this file (its config, an include, a SQL file a step runs).
    case projectFile

    /// "it is a FIFO", for "refusing to write `x`: …".
    public var reason: String {
      switch self {
      case .notAFile(let kind): "it is \(kind.name)"
      case .symbolicLink: "it is a symbolic link, which cruddur does not follow"
      case .projectFile: "the project reads it"
      }
    }
  }

  /// What stands in the way of writing `path`, looking at the path itself (`lstat`), or nil
  /// when it is missing or a regular file none of `reads` is. `reads` are compared by
  /// device and inode, so another spelling or a hard link of a project file is still one.
  public static func refusal(at path: String, reads: [String] = []) -> Refusal? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    switch info.st_mode & S_IFMT {
    case S_IFLNK: return .symbolicLink
    case S_IFREG: break
    default: return .notAFile(FileKind(path: path))
    }
    for read in reads {
      var other = stat()
      if stat(read, &other) == 0, other.st_dev == info.st_dev, other.st_ino == info.st_ino { return .projectFile }
    }
    return nil
  }

  /// Writes `text` at `path` unless refused: under a new temporary name in the same folder
  /// (never following a link, never reusing a name), then renamed over the path, so a
  /// reader sees the old file or the new one, never half of one.
  public static func write(_ text: String, to path: String, shownAs shown: String, reads: [String] = []) throws {
    if let refusal = refusal(at: path, reads: reads) { throw RunError(.refusedOutput(path: shown, reason: refusal.reason)) }
    do {
      try AtomicFile.write(text, to: path)
    } catch {
      throw RunError(.cannotWrite(path: shown, reason: error.localizedDescription))
    }
  }
}
