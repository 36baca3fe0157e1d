import CruddurCore
import Foundation

/// The marker lines of a migration file, read as dbmate 2 reads them, so a file one tool
/// accepts the other accepts and both run the same statements: a marker is `--`, optional
/// white space, `migrate:up` or `migrate:down`, at column 1 (dbmate's `(?m)^--\s*migrate:`);
/// each `-- migrate:up` opens a section that runs alone, with its own `transaction:`
/// option, and the one `-- migrate:down` after it (before the next `up`) holds its undo.
/// Where dbmate would silently do something else, this is an error at the line:
/// statements above the first `up` (dbmate refuses them too), an indented marker (dbmate
/// reads it as part of the statement above), a `down` before any `up`, an unknown option.
enum MigrationSections {
  struct Marker: Sendable, Equatable {
    var direction: String
    /// 1-based.
    var line: Int
    var inTransaction: Bool
  }

  struct Section: Sendable, Equatable {
    var up: Marker
    var down: Marker?
  }

  /// `lines` are the file's lines without their newline.
  static func sections(_ lines: [Substring], file: SQLScriptCursor.File) throws -> [Section] {
    var sections: [Section] = []
    var statementBefore: (line: Int, column: Int)?
    for (index, text) in lines.enumerated() {
      let line = index + 1
      guard let marker = try marker(text, line: line, file: file) else {
        if sections.isEmpty, statementBefore == nil, let column = statementColumn(text) {
          statementBefore = (line, column)
        }
        continue
      }
      if marker.direction == "up" {
        sections.append(Section(up: marker, down: nil))
        continue
      }
      guard let last = sections.indices.last else {
        throw SQLScriptCursor.configError(.migrateDownBeforeUp, in: file, line: line, column: 1)
      }
      if let earlier = sections[last].down {
        throw SQLScriptCursor.configError(
          .duplicateMigrationMarker(direction: "down", firstLine: earlier.line), in: file,
          line: line, column: 1)
      }
      sections[last].down = marker
    }
    if sections.isEmpty {
      throw SQLScriptCursor.configError(.missingMigrateUp, in: file, line: 1, column: 1)
    }
    if let statementBefore {
      throw SQLScriptCursor.configError(
        .statementBeforeMigrateUp, in: file, line: statementBefore.line,
        column: statementBefore.column)
    }
    return sections
  }

  /// The column of the first character of a line that is neither blank nor a `--` comment.
  private static func statementColumn(_ text: Substring) -> Int? {
    let body = text.drop { $0 == " " || $0 == "\t" || $0 == "\r" }
    if body.isEmpty || body.hasPrefix("--") { return nil }
    return text.count - body.count + 1
  }

  /// `-- migrate:up`, `-- migrate:down transaction:false`; nil for any other line; an
  /// error for an indented marker or an unknown word.
  private static func marker(_ text: Substring, line: Int, file: SQLScriptCursor.File) throws
    -> Marker?
  {
    let indented = text.first == " " || text.first == "\t"
    let start = indented ? text.drop { $0 == " " || $0 == "\t" } : text
    guard start.hasPrefix("--") else { return nil }
    let body = start.dropFirst(2).drop(while: \.isWhitespace)
    guard body.hasPrefix("migrate:") else { return nil }
    let words = body.split(whereSeparator: \.isWhitespace).map(String.init)
    let direction = String(words[0].dropFirst("migrate:".count))
    if indented {
      guard direction == "up" || direction == "down" else { return nil }
      throw SQLScriptCursor.configError(
        .indentedMigrationMarker(direction: direction), in: file, line: line,
        column: text.count - start.count + 1)
    }
    guard direction == "up" || direction == "down" else {
      throw SQLScriptCursor.configError(
        .unknownMigrationMarker(direction: direction), in: file, line: line, column: 1)
    }
    var inTransaction = true
    for option in words.dropFirst() {
      switch option {
      case "transaction:false": inTransaction = false
      case "transaction:true": inTransaction = true
      default:
        throw SQLScriptCursor.configError(
          .unknownMigrationMarkerOption(option: option, direction: direction), in: file, line: line,
          column: 1)
      }
    }
    return Marker(direction: direction, line: line, inTransaction: inTransaction)
  }
}
