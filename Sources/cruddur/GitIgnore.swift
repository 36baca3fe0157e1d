import CruddurCore
import Foundation

/// The lines `cruddur init` makes sure a project's `.gitignore` has: `.cruddur/` is a whole
/// PostgreSQL data directory, `.env` usually holds the production URL, and `backups/` is
/// where `db:backup` writes a dump of the data; none belongs in a commit.
enum GitIgnore {
  static let entries = [".cruddur/", ".env", "backups/"]

  /// Adds the missing entries to `path` (creating it), keeping what is there; returns the
  /// entries added. Run twice, it adds nothing the second time.
  static func ensure(at path: String) throws -> [String] {
    // Checked before reading: reading a FIFO would wait for a writer for ever.
    if let refusal = OutputFile.refusal(at: path) {
      throw RunError(.refusedOutput(path: ".gitignore", reason: refusal.reason))
    }
    let existing = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    let present = Set(existing.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
    let missing = entries.filter { entry in
      // `.cruddur`, `/.cruddur/`... ignore the folder just as well.
      let bare = entry.hasSuffix("/") ? String(entry.dropLast()) : entry
      return [bare, bare + "/", "/" + bare, "/" + bare + "/"].allSatisfy { !present.contains($0) }
    }
    guard !missing.isEmpty else { return [] }
    var text = existing
    if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
    text += missing.joined(separator: "\n") + "\n"
    try OutputFile.write(text, to: path, shownAs: ".gitignore")
    return missing
  }
}
