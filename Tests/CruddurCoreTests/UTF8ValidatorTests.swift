import CruddurCore
import Testing

/// Well-formed UTF-8 passes however it is cut into pieces; the first ill-formed byte is
/// reported with its offset, and shown as `\xFF` rather than replaced.
@Suite struct UTF8ValidatorTests {
  /// The failure for `bytes` fed in pieces of `size`, which must be the same for every size.
  static func failure(_ bytes: [UInt8]) -> UTF8Validator.Failure? {
    var failures: [UTF8Validator.Failure?] = []
    for size in [1, 2, 3, 7, 8, 9, 64] {
      var validator = UTF8Validator()
      var failure: UTF8Validator.Failure?
      do throws(UTF8Validator.Failure) {
        var start = 0
        while start < bytes.count {
          let end = min(bytes.count, start + size)
          try Array(bytes[start..<end]).withUnsafeBufferPointer { piece throws(UTF8Validator.Failure) in
            try validator.feed(piece)
          }
          start = end
        }
        try validator.finish()
      } catch {
        failure = error
      }
      failures.append(failure)
    }
    #expect(Set(failures.map { $0.map { "\($0.offset) \($0.byte)" } ?? "ok" }).count == 1, "\(failures)")
    return failures[0]
  }

  @Test("ASCII and every length of sequence pass, whatever the piece size")
  func valid() {
    let text = "select 'héllo', '€', '𝄞', 'ascii only for more than eight bytes';\n" + String(repeating: "ü", count: 40)
    #expect(Self.failure(Array(text.utf8)) == nil)
    #expect(Self.failure([0xEF, 0xBB, 0xBF, 0x41]) == nil)
    #expect(Self.failure([0xF4, 0x8F, 0xBF, 0xBF]) == nil)
  }

  @Test("a bad byte, a bad continuation, overlong forms, surrogates and a cut-off end are refused at the sequence start")
  func invalid() {
    let prefix = Array("select 1;\n".utf8)
    #expect(Self.failure(prefix + [0xFF]) == .init(offset: 10, byte: 0xFF))
    #expect(Self.failure(prefix + [0x80]) == .init(offset: 10, byte: 0x80))
    #expect(Self.failure(prefix + [0xC3, 0x41]) == .init(offset: 10, byte: 0xC3))
    #expect(Self.failure(prefix + [0xC0, 0x80]) == .init(offset: 10, byte: 0xC0))
    #expect(Self.failure(prefix + [0xE0, 0x80, 0x80]) == .init(offset: 10, byte: 0xE0))
    #expect(Self.failure(prefix + [0xED, 0xA0, 0x80]) == .init(offset: 10, byte: 0xED))
    #expect(Self.failure(prefix + [0xF4, 0x90, 0x80, 0x80]) == .init(offset: 10, byte: 0xF4))
    #expect(Self.failure(prefix + [0xF5, 0x80, 0x80, 0x80]) == .init(offset: 10, byte: 0xF5))
    #expect(Self.failure(prefix + [0xE2, 0x82]) == .init(offset: 10, byte: 0xE2))
    #expect(UTF8Validator.Failure(offset: 0, byte: 0xFF).message == "invalid UTF-8 (byte 0xFF)")
    #expect(UTF8Validator.Failure(offset: 0, byte: 0x0A).message == "invalid UTF-8 (byte 0x0A)")
  }

  @Test("the position counts lines and scalars, not bytes, and not a byte order mark")
  func position() {
    let bytes = Array("ab\nhé€x".utf8)
    let position = bytes.withUnsafeBufferPointer { UTF8Validator.Position.of(bytes.count - 1, in: $0) }
    #expect(position.line == 2)
    #expect(position.column == 4)
    let marked: [UInt8] = [0xEF, 0xBB, 0xBF, 0x61, 0x62]
    let afterMark = marked.withUnsafeBufferPointer { UTF8Validator.Position.of(4, in: $0) }
    #expect(afterMark.line == 1)
    #expect(afterMark.column == 2)
  }

  @Test("a line is shown with each bad byte as \\xNN and the rest as written")
  func display() {
    #expect(UTF8Validator.displayText(Array("a é ".utf8) + [0xFF, 0x62, 0xC3]) == "a é \\xFFb\\xC3")
  }
}
