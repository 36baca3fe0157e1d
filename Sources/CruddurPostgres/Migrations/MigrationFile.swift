import CruddurCore
import CruddurDigest
import Foundation

/// One migration in dbmate's format, so a team can switch without rewriting files:
/// `20261201120000_add_email_index.sql`, the version its leading digits, then one or more
/// sections (`MigrationSections`), each a `-- migrate:up` block and an optional
/// `-- migrate:down` block; `transaction:false` after a marker runs that block statement by
/// statement, as a `transaction: false` file. Sections run one after the other, each alone,
/// as dbmate 2 runs them (so `CREATE INDEX CONCURRENTLY` can sit beside transactional DDL).
struct MigrationFile: Sendable {
  /// One block: its lines (1-based, the marker's included) and how it runs.
  struct Block: Sendable {
    var markerLine: Int
    /// The line after the last line of the block.
    var endLine: Int
    var inTransaction: Bool
    /// SHA-256 of the block's bytes, marker line included (so `transaction:false` added
    /// later counts as a change).
    var sha256: String
    /// The file's bytes with every line outside the block (and the marker) blanked, the
    /// newlines kept: the SQL reader then reports the file's own line and column.
    var script: [UInt8]
    /// The block's own bytes, marker line included.
    var bytes: ArraySlice<UInt8>
  }

  struct Section: Sendable {
    var up: Block
    var down: Block?
  }

  var version: String
  var name: String
  var path: String
  var displayPath: String
  /// SHA-256 of the whole file, which a saved plan pins.
  var fileSHA256: String
  var sections: [Section]
  /// SHA-256 of the up blocks' bytes, one after the other: what the ledger records (for a
  /// file of one section, the SHA-256 of its up block, as before sections).
  var upSHA256: String

  /// The first section's blocks.
  var up: Block { sections[0].up }
  var down: Block? { sections[0].down }
  var ups: [Block] { sections.map(\.up) }
  /// The down blocks in file order (a rollback runs them last first, as dbmate 2 does).
  var downs: [Block] { sections.compactMap(\.down) }
  /// A rollback needs every section's down block.
  var hasDown: Bool { sections.allSatisfy { $0.down != nil } }
  var inTransaction: Bool { sections.allSatisfy { $0.up.inTransaction } }
  /// Not one transaction: it records its progress as it runs (`MigrationProgress`).
  var isProgressive: Bool { sections.count > 1 || !sections[0].up.inTransaction }

  var fileName: String { (path as NSString).lastPathComponent }

  /// `20261201120000_add_email.sql` → ("20261201120000", "add_email"); nil for a name that
  /// is not a migration's.
  ///
  /// Read as UTF-8 bytes: every file of the folder is named on every run, and Character
  /// comparisons (grapheme breaking) cost more than reading the file.
  static func versionAndName(of fileName: String) -> (version: String, name: String)? {
    let bytes = Array(fileName.utf8)
    guard bytes.count > 4, bytes.suffix(4).elementsEqual(".sql".utf8) else { return nil }
    let stem = bytes.dropLast(4)
    let digits = stem.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    guard !digits.isEmpty else { return nil }
    var rest = stem.dropFirst(digits.count)
    if rest.first == UInt8(ascii: "_") { rest = rest.dropFirst() } else if !rest.isEmpty { return nil }
    return (String(decoding: digits, as: UTF8.self), String(decoding: rest, as: UTF8.self))
  }

  /// Reads and splits the file; a problem is a config error at its line (exit 2).
  init(path: String, projectRoot: String) throws {
    let displayPath = SourceLoader(root: projectRoot).relative(path)
    let fileName = (path as NSString).lastPathComponent
    guard let (version, name) = Self.versionAndName(of: fileName) else {
      throw RunError(.notAMigrationName(path: displayPath))
    }
    let kind = FileKind(path: path)
    if kind.problem(shownAs: displayPath) != nil {
      throw RunError(.notAFile(shownAs: displayPath, kind: kind))
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw RunError(.cannotReadMigration(path: displayPath))
    }
    let bytes = [UInt8](data)
    self.version = version
    self.name = name
    self.path = path
    self.displayPath = displayPath
    fileSHA256 = SHA256.hex(of: bytes)
    let file = SQLScriptCursor.File(path: path, displayPath: displayPath)
    let lines = Self.lineStarts(bytes)
    let texts = lines.indices.map { index -> Substring in
      var end = index + 1 < lines.count ? lines[index + 1] : bytes.count
      if end > lines[index], bytes[end - 1] == 0x0A { end -= 1 }
      return Substring(String(decoding: bytes[lines[index]..<end], as: UTF8.self))
    }
    let found = try MigrationSections.sections(texts, file: file)
    let markerLines = found.flatMap { [$0.up.line] + ($0.down.map { [$0.line] } ?? []) }
    func block(_ marker: MigrationSections.Marker) -> Block {
      let next = markerLines.filter { $0 > marker.line }.min() ?? lines.count + 1
      let startByte = lines[marker.line - 1]
      let endByte = next <= lines.count ? lines[next - 1] : bytes.count
      var script = bytes
      for index in script.indices where (index < startByte || index >= endByte) && script[index] != 0x0A {
        script[index] = 0x20
      }
      // The marker itself is a comment; blanked so it never reaches the server.
      for index in startByte..<min(endByte, lines.count > marker.line ? lines[marker.line] : bytes.count)
      where script[index] != 0x0A {
        script[index] = 0x20
      }
      return Block(
        markerLine: marker.line, endLine: next, inTransaction: marker.inTransaction,
        sha256: SHA256.hex(of: Array(bytes[startByte..<endByte])), script: script, bytes: bytes[startByte..<endByte])
    }
    sections = found.map { Section(up: block($0.up), down: $0.down.map(block)) }
    upSHA256 = SHA256.hex(of: Array(sections.map(\.up.bytes).joined()))
  }

  /// Byte offsets where each line starts.
  private static func lineStarts(_ bytes: [UInt8]) -> [Int] {
    var starts = [0]
    for (index, byte) in bytes.enumerated() where byte == 0x0A && index + 1 < bytes.count { starts.append(index + 1) }
    return starts
  }

  /// The block's statements, read the way the loader will read them: count, destructive
  /// ones, and every problem (a BEGIN in a one-transaction block, an unsupported
  /// meta-command, an unterminated quote) at the file's own line.
  func scan(_ block: Block, projectRoot: String, judges: Bool = false, locks: Bool = true) -> SQLScriptScan {
    SQLScriptScan(
      cursor: SQLScriptCursor(bytes: block.script, path: path, projectRoot: projectRoot),
      inTransaction: block.inTransaction, judges: judges, locks: locks)
  }
}
