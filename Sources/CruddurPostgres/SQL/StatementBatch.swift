import CruddurCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Statements sent together as one simple-query message, with a map from the message back
/// to each statement's file position so a server error can be pinned to file:line:col.
struct StatementBatch {
  struct Entry {
    /// Byte offset of the statement in `message`.
    var offset: Int
    var length: Int
    var line: Int
    var column: Int
    var file: SQLScriptCursor.File
  }

  /// Never one message for a whole file: the server caps a message at 1 GiB, logs a
  /// failing message whole, and progress needs steps. These keep a round trip per ~1,000
  /// statements, which is already a small part of the server's own work.
  static let maxBytes = 1 << 20
  static let maxStatements = 1_000

  private(set) var message: [UInt8] = []
  private(set) var entries: [Entry] = []

  var isEmpty: Bool { entries.isEmpty }
  var isFull: Bool { entries.count >= Self.maxStatements || message.count >= Self.maxBytes }

  mutating func append(_ statement: SQLStatement, from file: SQLScriptCursor.File) {
    var text = statement.text
    text.withUTF8 { append($0, line: statement.line, column: statement.column, from: file) }
  }

  /// Appends a statement's bytes (its text, trimmed, without the `;`) as they are in the
  /// file: one copy, no `String` (the loader of a planned file hands the file's own bytes).
  mutating func append(
    _ bytes: UnsafeBufferPointer<UInt8>, line: Int, column: Int, from file: SQLScriptCursor.File
  ) {
    let offset = message.count
    message.append(contentsOf: bytes)
    entries.append(
      Entry(offset: offset, length: bytes.count, line: line, column: column, file: file))
    // A `--` comment on the last line would swallow a `;` on the same line.
    if Self.lastLineHasComment(bytes) { message.append(0x0A) }
    message.append(UInt8(ascii: ";"))
    message.append(0x0A)
  }

  /// Empties the batch, keeping its storage for the next one.
  mutating func removeAll() {
    message.removeAll(keepingCapacity: true)
    entries.removeAll(keepingCapacity: true)
  }

  /// Calls `body` with the message as a NUL-terminated C string.
  mutating func withCString<T>(_ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
    message.append(0)
    defer { message.removeLast() }
    return try message.withUnsafeBufferPointer { buffer in
      try buffer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
    }
  }

  /// The statement and file position of a server error: its `position` (1-based, in
  /// characters of the whole message) when given, else the statement whose result carried
  /// the error (`resultIndex`, one result per statement).
  func locate(position: Int?, resultIndex: Int) -> (entry: Entry, line: Int, column: Int)? {
    guard !entries.isEmpty else { return nil }
    guard let position, position >= 1 else {
      let entry = entries[min(max(0, resultIndex), entries.count - 1)]
      return (entry, entry.line, entry.column)
    }
    // The server counts characters; the message is UTF-8, so count lead bytes.
    var target = message.count
    var characters = 0
    for (i, byte) in message.enumerated() where byte & 0xC0 != 0x80 {
      if characters == position - 1 {
        target = i
        break
      }
      characters += 1
    }
    var index = entries.count - 1
    while index > 0 && entries[index].offset > target { index -= 1 }
    let entry = entries[index]
    // A position in the separator after a statement ("at end of input") points just past it.
    let end = min(target, entry.offset + entry.length)
    var line = entry.line
    var column = entry.column
    var i = entry.offset
    while i < end {
      let byte = message[i]
      if byte == 0x0A {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
      i += 1
    }
    return (entry, line, column)
  }

  /// Whether a `--` follows the last line break (memchr: most statements have no `-`).
  static func lastLineHasComment(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return false }
    var from = 0
    while from < bytes.count,
      let hit = memchr(base + from, Int32(UInt8(ascii: "-")), bytes.count - from)
    {
      let dash = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
      if dash + 1 < bytes.count && bytes[dash + 1] == UInt8(ascii: "-") {
        if memchr(base + dash + 2, 0x0A, bytes.count - dash - 2) == nil { return true }
      }
      from = dash + 1
    }
    return false
  }
}
