import CruddurCore
import Foundation

/// Reads one line of a file for an error's snippet. Only used when something failed, so
/// it streams from the start rather than keeping line offsets for every statement.
enum SQLSourceLine {
  static func read(_ number: Int, of path: String) -> String? {
    guard number >= 1, FileKind(path: path) == .regularFile, let handle = FileHandle(forReadingAtPath: path)
    else { return nil }
    defer { try? handle.close() }
    var line = 1
    var current: [UInt8] = []
    while let chunk = try? handle.read(upToCount: 256 * 1024), !chunk.isEmpty {
      for byte in chunk {
        if byte == 0x0A {
          if line == number { return text(current) }
          line += 1
        } else if line == number {
          current.append(byte)
        }
      }
    }
    return line == number ? text(current) : nil
  }

  private static func text(_ bytes: [UInt8]) -> String {
    var bytes = bytes[...]
    if bytes.last == 0x0D { bytes = bytes.dropLast() }
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
    return UTF8Validator.displayText(bytes)
  }
}
