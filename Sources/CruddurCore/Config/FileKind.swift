import Foundation

/// What a path names, found with `stat` before anything opens it: opening a FIFO blocks
/// until a writer comes, and reading a device such as `/dev/zero` never ends. `stat`
/// follows symbolic links, so a link to a regular file is a regular file.
public enum FileKind: Sendable, Hashable, Codable {
  case regularFile
  case directory
  case fifo
  case characterDevice
  case blockDevice
  case socket
  /// Nothing there (or a link to nothing, or a path that cannot be searched).
  case missing
  case other

  public init(path: String) {
    var info = stat()
    guard stat(path, &info) == 0 else {
      self = .missing
      return
    }
    switch info.st_mode & S_IFMT {
    case S_IFREG: self = .regularFile
    case S_IFDIR: self = .directory
    case S_IFIFO: self = .fifo
    case S_IFCHR: self = .characterDevice
    case S_IFBLK: self = .blockDevice
    case S_IFSOCK: self = .socket
    default: self = .other
    }
  }

  /// The kind in words, for "`x` is a FIFO, not a file".
  public var name: String {
    switch self {
    case .regularFile: "a file"
    case .directory: "a directory"
    case .fifo: "a FIFO"
    case .characterDevice: "a character device"
    case .blockDevice: "a block device"
    case .socket: "a socket"
    case .missing: "missing"
    case .other: "not a regular file"
    }
  }

  /// Why a file cannot be read: "`load.sql` is a FIFO, not a file". Nil for a regular
  /// file and for a missing one, which each caller words in its own terms.
  public func problem(shownAs shown: String) -> String? {
    switch self {
    case .regularFile, .missing: nil
    case .other: "`\(shown)` is not a regular file"
    default: "`\(shown)` is \(name), not a file"
    }
  }
}

extension SourceLoader {
  /// Why `path` cannot be read as a file, as "`shown` is a directory, not a file"; nil
  /// when it is a regular file (or a link to one) or does not exist. Nothing is opened.
  public static func checkRegularFile(_ path: String, shownAs shown: String) -> String? {
    FileKind(path: path).problem(shownAs: shown)
  }
}
