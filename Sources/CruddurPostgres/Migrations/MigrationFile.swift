import CruddurCore
import CruddurDigest
import Foundation

/// One migration in dbmate's format, so a team can switch without rewriting files:
/// `20261201120000_add_email_index.sql`, the version its leading digits, a `-- migrate:up`
/// block and an optional `-- migrate:down` block; `transaction:false` after a marker runs
/// that block statement by statement, as a `transaction: false` file.
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
  }

  var version: String
  var name: String
  var path: String
  var displayPath: String
  /// SHA-256 of the whole file, which a saved plan pins.
  var fileSHA256: String
  var up: Block
  var down: Block?

  var fileName: String { (path as NSString).lastPathComponent }

  /// `20261201120000_add_email.sql` → ("20261201120000", "add_email"); nil for a name that
  /// is not a migration's.
  static func versionAndName(of fileName: String) -> (version: String, name: String)? {
    guard fileName.hasSuffix(".sql") else { return nil }
    let stem = fileName.dropLast(4)
    let digits = stem.prefix(while: \.isASCIIDigit)
    guard !digits.isEmpty else { return nil }
    var rest = stem.dropFirst(digits.count)
    if rest.first == "_" { rest = rest.dropFirst() } else if !rest.isEmpty { return nil }
    return (String(digits), String(rest))
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
    var markers: [(direction: String, line: Int, inTransaction: Bool)] = []
    for (index, start) in lines.enumerated() {
      let end = index + 1 < lines.count ? lines[index + 1] : bytes.count
      let text = String(decoding: bytes[start..<end], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      guard let marker = try Self.marker(text, line: index + 1, file: file) else { continue }
      if let earlier = markers.first(where: { $0.direction == marker.direction }) {
        throw SQLScriptCursor.configError(
          .duplicateMigrationMarker(direction: marker.direction, firstLine: earlier.line), in: file,
          line: index + 1, column: 1)
      }
      markers.append((marker.direction, index + 1, marker.inTransaction))
    }
    guard let upMarker = markers.first(where: { $0.direction == "up" }) else {
      throw SQLScriptCursor.configError(.missingMigrateUp, in: file, line: 1, column: 1)
    }
    func block(_ marker: (direction: String, line: Int, inTransaction: Bool)) -> Block {
      let next = markers.map(\.line).filter { $0 > marker.line }.min() ?? lines.count + 1
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
        sha256: SHA256.hex(of: Array(bytes[startByte..<endByte])), script: script)
    }
    up = block(upMarker)
    down = markers.first(where: { $0.direction == "down" }).map(block)
  }

  /// `-- migrate:up`, `-- migrate:down transaction:false`; nil for any other line.
  private static func marker(_ text: String, line: Int, file: SQLScriptCursor.File) throws
    -> (direction: String, inTransaction: Bool)?
  {
    guard text.hasPrefix("--") else { return nil }
    let body = text.dropFirst(2).trimmingCharacters(in: .whitespaces)
    guard body.hasPrefix("migrate:") else { return nil }
    let words = body.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    let direction = String(words[0].dropFirst("migrate:".count))
    guard direction == "up" || direction == "down" else {
      throw SQLScriptCursor.configError(.unknownMigrationMarker(direction: direction), in: file, line: line, column: 1)
    }
    var inTransaction = true
    for option in words.dropFirst() {
      switch option {
      case "transaction:false": inTransaction = false
      case "transaction:true": inTransaction = true
      default:
        throw SQLScriptCursor.configError(
          .unknownMigrationMarkerOption(option: option, direction: direction), in: file, line: line, column: 1)
      }
    }
    return (direction, inTransaction)
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
  func scan(_ block: Block, projectRoot: String, judges: Bool = false) -> SQLScriptScan {
    SQLScriptScan(
      cursor: SQLScriptCursor(bytes: block.script, path: path, projectRoot: projectRoot),
      inTransaction: block.inTransaction, judges: judges)
  }
}

extension Character {
  fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
