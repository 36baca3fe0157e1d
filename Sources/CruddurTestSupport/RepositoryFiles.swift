import Foundation

/// Files of this repository (the real `tasks/db.yml`, `db/schema.sql`...), so tests run
/// what users run rather than copies.
public enum RepositoryFiles {
  public static let root: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
  }()

  public static func read(_ relativePath: String) throws -> String {
    try String(contentsOfFile: root + "/" + relativePath, encoding: .utf8)
  }
}
