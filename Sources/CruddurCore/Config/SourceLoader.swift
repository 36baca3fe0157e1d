import Foundation

/// The core's one file reader: reads text, remembers it for diagnostics, and turns
/// absolute paths into project-relative ones.
public struct SourceLoader: Sendable {
  public let root: String

  public init(root: String) { self.root = root }

  public func relative(_ absolute: String) -> String {
    let prefix = root.hasSuffix("/") ? root : root + "/"
    return absolute.hasPrefix(prefix) ? String(absolute.dropFirst(prefix.count)) : absolute
  }

  /// What `read` returns: `Result<String, ReadFailure>` spelled as a plain enum, whose
  /// metadata is static; the generic one is instantiated at run time, a conformance lookup
  /// over the whole binary (0.2 M instructions of every start-up that reads a project).
  public enum ReadResult: Sendable, Equatable {
    case success(String)
    case failure(ReadFailure)
  }

  /// Why a file could not be read.
  public enum ReadFailure: Error, Sendable, Equatable {
    case missing
    /// A FIFO, device, directory or socket: refused before it is opened.
    case notAFile(FileKind)
    /// The first ill-formed byte, where it is, and its line for the snippet.
    case invalidUTF8(InvalidUTF8)
  }

  /// Where a file stops being UTF-8.
  public struct InvalidUTF8: Sendable, Equatable {
    public var message: String
    public var line: Int
    public var column: Int

    /// The diagnostic for `path` (project-relative).
    public func diagnostic(path: String) -> Diagnostic {
      // Its line comes from `SourceProvider`, which shows each bad byte as `\xFF`.
      ConfigErrorKind.invalidUTF8(message: message).diagnostic(at: SourceLocation(path: path, line: line, column: column))
    }
  }

  /// The text of a regular file (or a link to one). Anything else is refused without
  /// opening it, so a FIFO cannot block the read and a device cannot feed it forever.
  /// Text that is not UTF-8 is refused rather than decoded with U+FFFD in its place.
  public func read(_ absolute: String) -> ReadResult {
    let kind = FileKind(path: absolute)
    guard kind == .regularFile else { return .failure(kind == .missing ? .missing : .notAFile(kind)) }
    guard let data = FileManager.default.contents(atPath: absolute) else { return .failure(.missing) }
    let invalid = data.withUnsafeBytes { raw -> InvalidUTF8? in
      let bytes = raw.bindMemory(to: UInt8.self)
      do throws(UTF8Validator.Failure) {
        try UTF8Validator.validate(bytes)
        return nil
      } catch {
        let position = UTF8Validator.Position.of(error.offset, in: bytes)
        return InvalidUTF8(message: error.message, line: position.line, column: position.column)
      }
    }
    if let invalid { return .failure(.invalidUTF8(invalid)) }
    return .success(String(decoding: data, as: UTF8.self))
  }

  public static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

  /// Joins a path relative to `directory` and removes `.` and `..` components.
  public static func resolve(_ path: String, relativeTo directory: String) -> String {
    let joined = path.hasPrefix("/") ? path : directory + "/" + path
    var parts: [Substring] = []
    for component in joined.split(separator: "/", omittingEmptySubsequences: true) {
      if component == "." { continue }
      if component == ".." {
        if !parts.isEmpty { parts.removeLast() }
        continue
      }
      parts.append(component)
    }
    // Appended one by one: `joined(separator:)` on substrings is generic at run time, a
    // conformance lookup over the whole binary on every start-up.
    guard !parts.isEmpty else { return "/" }
    var path = ""
    for part in parts {
      path.append("/")
      path.append(contentsOf: part)
    }
    return path
  }

  /// The directory of `cruddur.yml` in `start` or the nearest parent that has one.
  public static func findConfig(named name: String = "cruddur.yml", from start: String) -> String? {
    var dir = resolve(".", relativeTo: start)
    while true {
      let candidate = dir == "/" ? "/" + name : dir + "/" + name
      if exists(candidate) { return candidate }
      if dir == "/" { return nil }
      dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)])
      if dir.isEmpty { dir = "/" }
    }
  }

  /// Paths matching a glob of `*`, `?` and literal components, sorted for a stable order.
  /// A wildcard skips directories where the pattern ends; anything else that matches is
  /// returned, whatever it is (a FIFO, a directory named literally), so that reading it
  /// reports what it is rather than the match being dropped in silence.
  public static func glob(_ pattern: String, relativeTo directory: String) -> [String] {
    let absolute = resolve(pattern, relativeTo: directory)
    var matches = ["/"]
    let components = absolute.split(separator: "/")
    for (index, component) in components.enumerated() {
      let isLast = index == components.count - 1
      var next: [String] = []
      for base in matches {
        let prefix = base == "/" ? "/" : base + "/"
        if component.contains("*") || component.contains("?") {
          for name in directoryNames(base).sorted()
          where !name.hasPrefix(".") && wildcard(String(component), matches: name) {
            let kind = FileKind(path: prefix + name)
            if isLast && (kind == .directory || kind == .missing) { continue }
            next.append(prefix + name)
          }
        } else if FileKind(path: prefix + String(component)) != .missing {
          next.append(prefix + String(component))
        }
      }
      matches = next
    }
    return matches
  }

  /// The names in a directory but `.` and `..`; none when it cannot be read. Read with
  /// readdir rather than FileManager, whose listing costs a `list` 0.3 M instructions.
  static func directoryNames(_ path: String) -> [String] {
    guard let directory = opendir(path) else { return [] }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafePointer(to: &entry.pointee.d_name) {
        String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  static func wildcard(_ pattern: String, matches name: String) -> Bool {
    let p = Array(pattern.unicodeScalars)
    let n = Array(name.unicodeScalars)
    var pi = 0, ni = 0, star = -1, mark = 0
    while ni < n.count {
      if pi < p.count, p[pi] == "?" || p[pi] == n[ni] {
        pi += 1
        ni += 1
      } else if pi < p.count, p[pi] == "*" {
        star = pi
        mark = ni
        pi += 1
      } else if star >= 0 {
        pi = star + 1
        mark += 1
        ni = mark
      } else {
        return false
      }
    }
    while pi < p.count, p[pi] == "*" { pi += 1 }
    return pi == p.count
  }
}
