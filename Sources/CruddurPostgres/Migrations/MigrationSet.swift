import CruddurCore
import Foundation

/// The migration files of one folder, in version order. Files whose names are not a
/// migration's (`README.md`, `.keep`) are not migrations; two files with one version are
/// an error naming both, since which one ran would depend on the file system's order.
struct MigrationSet: Sendable {
  var directory: String
  var files: [MigrationFile]

  init(directory: String, projectRoot: String) throws {
    self.directory = directory
    let loader = SourceLoader(root: projectRoot)
    switch FileKind(path: directory) {
    case .directory: break
    case .missing: throw RunError(.migrationsFolderMissing(path: loader.relative(directory)))
    case let kind: throw RunError(.migrationsFolderNotAFolder(path: loader.relative(directory), kind: kind))
    }
    let names = try FileManager.default.contentsOfDirectory(atPath: directory)
      .filter { MigrationFile.versionAndName(of: $0) != nil }.sorted()
    var files: [MigrationFile] = []
    // A file's reasons (Core's `notAFile`, the SQL checks') and the folder's, together.
    var problems: [any ErrorKind] = []
    for name in names {
      do {
        files.append(try MigrationFile(path: directory + "/" + name, projectRoot: projectRoot))
      } catch let error as RunError {
        problems += error.kinds
      }
    }
    var byVersion: [String: MigrationFile] = [:]
    for file in files {
      if let other = byVersion[Self.normalized(file.version)] {
        problems.append(PostgresRunErrorKind.duplicateMigrationVersion(version: file.version, first: other.displayPath, second: file.displayPath))
      }
      byVersion[Self.normalized(file.version)] = file
    }
    if !problems.isEmpty { throw RunError(kinds: problems) }
    self.files = files.sorted { Self.precedes($0.version, $1.version) }
  }

  func file(version: String) -> MigrationFile? {
    files.first { Self.normalized($0.version) == Self.normalized(version) }
  }

  /// Versions compare as numbers of any length (`9` before `10`), without overflow.
  static func precedes(_ a: String, _ b: String) -> Bool {
    let (x, y) = (normalized(a), normalized(b))
    return x.count != y.count ? x.count < y.count : x < y
  }

  static func normalized(_ version: String) -> String {
    let trimmed = version.drop { $0 == "0" }
    return trimmed.isEmpty ? "0" : String(trimmed)
  }
}
